package dev.lamina.store.vlog;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.util.ByteReader;
import dev.lamina.store.util.ByteWriter;

/**
 * Where a separated value lives: file, offset of its entry, key and value sizes, and the entry's stored checksum.
 * Stored as a table entry's value behind the POINTER kind: varint64 file, varint64 offset, varint32 key size,
 * varint32 value size, fixed32 checksum.
 */
public record ValuePointer(long fileNumber, long offset, int keySize, int valueSize, int checksum) {

    public byte[] encode() {
        return new ByteWriter(32).writeVarint64(fileNumber).writeVarint64(offset).writeVarint32(keySize)
                .writeVarint32(valueSize).writeFixed32(checksum).toByteArray();
    }

    /** Decodes a pointer; malformed bytes are a {@link CorruptionException} without file context. */
    public static ValuePointer decode(byte[] bytes) {
        ByteReader r = new ByteReader(bytes);
        ValuePointer p = new ValuePointer(r.readVarint64(), r.readVarint64(), r.readVarint32(), r.readVarint32(),
                r.readFixed32());
        if (r.hasRemaining()) {
            throw new CorruptionException("value pointer has " + r.remaining() + " trailing bytes");
        }
        if (p.offset < VlogFormat.HEADER_SIZE || p.fileNumber < 0) {
            throw new CorruptionException("value pointer out of range: " + p);
        }
        return p;
    }

    /** The file number of an encoded pointer, read without decoding the rest. */
    public static long fileNumberOf(byte[] encoded) {
        return new ByteReader(encoded).readVarint64();
    }

    /** Bytes the pointed-to entry takes in its file: what becomes garbage when the pointer is dropped. */
    public long entrySize() {
        return VlogFormat.entrySize(keySize, valueSize);
    }
}
