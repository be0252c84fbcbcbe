package dev.lamina.store.table;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.util.ByteReader;
import dev.lamina.store.util.ByteWriter;
import dev.lamina.store.util.Crc32c;
import java.nio.file.Path;

/**
 * The fixed-size record at the end of a table that locates its filter and index blocks.
 *
 * @param filter     the bloom filter block, or null when the table has none (stored as offset 0, size 0)
 * @param index      the index block
 * @param entryCount entries in the table, so that a reader knows it without a scan
 */
record Footer(BlockHandle filter, BlockHandle index, long entryCount) {

    private static final BlockHandle NO_FILTER = new BlockHandle(0, 0);

    byte[] encode() {
        BlockHandle storedFilter = filter == null ? NO_FILTER : filter;
        ByteWriter out = new ByteWriter(TableFormat.FOOTER_SIZE);
        out.writeFixed64(storedFilter.offset()).writeFixed64(storedFilter.size());
        out.writeFixed64(index.offset()).writeFixed64(index.size());
        out.writeFixed64(entryCount);
        out.writeFixed32(TableFormat.FORMAT_VERSION);
        out.writeFixed32(Crc32c.mask(Crc32c.compute(out.array(), 0, TableFormat.FOOTER_CHECKSUMMED_SIZE)));
        out.writeFixed64(TableFormat.MAGIC);
        return out.toByteArray();
    }

    /**
     * Decodes and checks a footer read at {@code footerOffset} of {@code file}. The magic is checked first, so a file
     * that is not a table at all is reported as such rather than as a checksum failure.
     */
    static Footer decode(byte[] bytes, Path file, long footerOffset) {
        if (bytes.length != TableFormat.FOOTER_SIZE) {
            throw new CorruptionException("footer has " + bytes.length + " bytes, expected " + TableFormat.FOOTER_SIZE,
                    file, footerOffset);
        }
        ByteReader in = new ByteReader(bytes);
        long filterOffset = in.readFixed64();
        long filterSize = in.readFixed64();
        long indexOffset = in.readFixed64();
        long indexSize = in.readFixed64();
        long entryCount = in.readFixed64();
        int version = in.readFixed32();
        int storedCrc = Crc32c.unmask(in.readFixed32());
        long magic = in.readFixed64();
        if (magic != TableFormat.MAGIC) {
            throw new CorruptionException(String.format("bad table magic 0x%016x", magic), file,
                    footerOffset + TableFormat.FOOTER_SIZE - 8);
        }
        if (storedCrc != Crc32c.compute(bytes, 0, TableFormat.FOOTER_CHECKSUMMED_SIZE)) {
            throw new CorruptionException("footer checksum mismatch", file, footerOffset);
        }
        if (version != TableFormat.FORMAT_VERSION) {
            throw new CorruptionException("unsupported table format version " + Integer.toUnsignedString(version)
                    + " (this build reads version " + TableFormat.FORMAT_VERSION + ")", file, footerOffset);
        }
        if (entryCount < 0) {
            throw new CorruptionException("negative entry count in footer", file, footerOffset);
        }
        BlockHandle filter = filterOffset == 0 && filterSize == 0 ? null : new BlockHandle(filterOffset, filterSize);
        return new Footer(filter, new BlockHandle(indexOffset, indexSize), entryCount);
    }
}
