package dev.lamina.store.util;

import java.util.Arrays;

/** A growable byte array with little-endian fixed-width and varint writers. */
public final class ByteWriter {
    private byte[] buf;
    private int size;

    public ByteWriter() {
        this(64);
    }

    public ByteWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        int needed = size + extra;
        if (needed < 0) {
            throw new IllegalStateException("buffer over 2 GiB");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2 < 0 ? Integer.MAX_VALUE - 8 : buf.length * 2));
        }
    }

    public ByteWriter writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    public ByteWriter writeFixed32(int v) {
        ensure(4);
        Coding.putFixed32(buf, size, v);
        size += 4;
        return this;
    }

    public ByteWriter writeFixed64(long v) {
        ensure(8);
        Coding.putFixed64(buf, size, v);
        size += 8;
        return this;
    }

    public ByteWriter writeVarint32(int v) {
        return writeVarint64(v & 0xffffffffL);
    }

    public ByteWriter writeVarint64(long v) {
        ensure(10);
        while ((v & ~0x7fL) != 0) {
            buf[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    public ByteWriter writeBytes(byte[] data) {
        return writeBytes(data, 0, data.length);
    }

    public ByteWriter writeBytes(byte[] data, int offset, int length) {
        ensure(length);
        System.arraycopy(data, offset, buf, size, length);
        size += length;
        return this;
    }

    /** A varint length followed by the bytes. */
    public ByteWriter writeLengthPrefixed(byte[] data) {
        writeVarint32(data.length);
        return writeBytes(data);
    }

    public int size() {
        return size;
    }

    public void reset() {
        size = 0;
    }

    /** The internal array; valid up to {@link #size()} until the next write. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
