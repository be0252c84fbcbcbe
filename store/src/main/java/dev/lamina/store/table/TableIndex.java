package dev.lamina.store.table;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.util.ByteReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded index block: for each data block, in order, the last internal key it holds and its handle. Decoded
 * once when a table is opened and checked then (keys strictly increasing, blocks in order, not overlapping and
 * inside the data region), so that lookups need no further checks. Immutable and thread-safe.
 */
final class TableIndex {
    private final byte[][] lastKeys;
    private final BlockHandle[] handles;

    private TableIndex(byte[][] lastKeys, BlockHandle[] handles) {
        this.lastKeys = lastKeys;
        this.handles = handles;
    }

    /**
     * Decodes the index block of {@code file} (at {@code indexOffset}); data blocks must end by {@code dataEnd}.
     */
    static TableIndex decode(Block indexBlock, Path file, long indexOffset, long dataEnd) {
        List<byte[]> keys = new ArrayList<>();
        List<BlockHandle> blockHandles = new ArrayList<>();
        BlockIterator entries = indexBlock.newIterator();
        long previousEnd = 0;
        for (entries.seekToFirst(); entries.isValid(); entries.next()) {
            byte[] key = entries.key();
            BlockHandle handle;
            try {
                handle = BlockHandle.readVarints(new ByteReader(entries.value()));
            } catch (CorruptionException e) {
                throw new CorruptionException("bad block handle in index entry " + keys.size() + ": "
                        + e.getMessage(), file, indexOffset, e);
            }
            if (!keys.isEmpty() && InternalKey.compare(keys.get(keys.size() - 1), key) >= 0) {
                throw new CorruptionException("index keys out of order at entry " + keys.size(), file, indexOffset);
            }
            if (!handle.fitsWithin(dataEnd) || handle.offset() < previousEnd) {
                throw new CorruptionException("index entry " + keys.size() + " points outside the data region: "
                        + handle, file, indexOffset);
            }
            previousEnd = handle.end();
            keys.add(key);
            blockHandles.add(handle);
        }
        return new TableIndex(keys.toArray(new byte[0][]), blockHandles.toArray(new BlockHandle[0]));
    }

    int blockCount() {
        return handles.length;
    }

    BlockHandle handle(int block) {
        return handles[block];
    }

    /**
     * The first block whose last key is at or after {@code internalKey}: the only block that can hold the first
     * entry at or after it. {@link #blockCount()} when every key of the table is before it.
     */
    int findBlock(byte[] internalKey) {
        int low = 0;
        int high = lastKeys.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (InternalKey.compare(lastKeys[mid], internalKey) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
