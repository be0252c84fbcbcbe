package dev.lamina.store.table;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.util.ByteReader;
import dev.lamina.store.util.ByteWriter;

/**
 * Where a block is stored: the offset of its first byte and the size of its stored payload, not counting the
 * {@link TableFormat#BLOCK_TRAILER_SIZE}-byte trailer that follows it.
 */
record BlockHandle(long offset, long size) {

    /** Offset of the first byte after the block's trailer. */
    long end() {
        return offset + size + TableFormat.BLOCK_TRAILER_SIZE;
    }

    /** Index-entry form: two varints. */
    void writeVarints(ByteWriter out) {
        out.writeVarint64(offset);
        out.writeVarint64(size);
    }

    /** Reads the index-entry form; the handle must take every byte of {@code in}. */
    static BlockHandle readVarints(ByteReader in) {
        BlockHandle handle = new BlockHandle(in.readVarint64(), in.readVarint64());
        if (in.hasRemaining()) {
            throw new CorruptionException("trailing bytes after block handle");
        }
        return handle;
    }

    /**
     * True when the block and its trailer lie inside {@code [0, limit)} and the block is no larger than any block a
     * writer produces. Written so that no addition can overflow.
     */
    boolean fitsWithin(long limit) {
        return offset >= 0 && size >= 0 && size <= TableFormat.MAX_STORED_BLOCK_SIZE
                && offset <= limit - TableFormat.BLOCK_TRAILER_SIZE - size;
    }
}
