package dev.lamina.store.util;

import dev.lamina.store.CorruptionException;
import java.util.Arrays;

/**
 * A bounds-checked cursor over a byte range. Every read past the end, malformed varint or impossible length throws
 * {@link CorruptionException} (without a file: the caller knows it and rethrows with context), so a decoder fed
 * garbage fails cleanly instead of with an index or allocation error.
 */
public final class ByteReader {
    private final byte[] buf;
    private final int limit;
    private int pos;

    public ByteReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteReader(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.length) {
            throw new IllegalArgumentException("range outside array");
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
    }

    private void require(int n, String what) {
        if (n < 0 || limit - pos < n) {
            throw new CorruptionException("truncated " + what + ": need " + n + " bytes, have " + (limit - pos));
        }
    }

    public int readByte() {
        require(1, "byte");
        return buf[pos++] & 0xff;
    }

    public int readFixed32() {
        require(4, "fixed32");
        int v = Coding.getFixed32(buf, pos);
        pos += 4;
        return v;
    }

    public long readFixed64() {
        require(8, "fixed64");
        long v = Coding.getFixed64(buf, pos);
        pos += 8;
        return v;
    }

    /** A varint that must fit in 32 bits as a non-negative int. */
    public int readVarint32() {
        long v = readVarint64();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new CorruptionException("varint32 out of range: " + v);
        }
        return (int) v;
    }

    public long readVarint64() {
        long result = 0;
        for (int shift = 0; shift <= 63; shift += 7) {
            require(1, "varint");
            int b = buf[pos++] & 0xff;
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptionException("malformed varint");
    }

    public byte[] readBytes(int n) {
        require(n, "bytes");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** A varint length followed by that many bytes; the length is checked against what remains before allocating. */
    public byte[] readLengthPrefixed() {
        return readBytes(readVarint32());
    }

    public void skip(int n) {
        require(n, "bytes");
        pos += n;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }
}
