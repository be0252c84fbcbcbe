package dev.lamina.store.table;

import dev.lamina.store.Compression;
import dev.lamina.store.CorruptionException;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.util.ByteWriter;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one SSTable (format in {@code docs/formats.md ("SSTable format")}): data blocks as entries arrive, then the bloom
 * filter, the index and the footer on {@link #finish()}. Used by one thread. If a write fails the table is
 * unusable; the caller deletes the file.
 */
public final class TableBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(TableBuilder.class);
    /** Worst-case bytes of an entry's three varint lengths plus the block's restart array, for the size check. */
    private static final int ENTRY_OVERHEAD = 3 * 5 + 8;

    private final WritableFile file;
    private final TableOptions options;
    private final BlockBuilder dataBlock;
    private final BlockBuilder indexBlock = new BlockBuilder(TableFormat.INDEX_RESTART_INTERVAL);
    private final ByteWriter handleBuffer = new ByteWriter(20);
    /** Murmur3 hashes of the distinct user keys, for the filter; empty when the filter is disabled. */
    private int[] keyHashes = new int[0];
    private int keyHashCount;

    private long offset;
    private long entryCount;
    private byte[] smallestKey;
    private byte[] largestKey;
    private boolean finished;

    /** Starts a table at the beginning of {@code file}, which must be empty. */
    public TableBuilder(WritableFile file, TableOptions options) {
        this.file = Objects.requireNonNull(file, "file");
        this.options = Objects.requireNonNull(options, "options");
        this.dataBlock = new BlockBuilder(options.restartInterval());
        if (options.bloomBitsPerKey() > 0) {
            keyHashes = new int[1024];
        }
    }

    /**
     * Keys must be strictly increasing in InternalKey.COMPARATOR order; throws IllegalArgumentException otherwise.
     * Also rejects a key too short to be an internal key, an unknown value kind, and an entry too large for one
     * block ({@link TableFormat#MAX_BLOCK_SIZE}). The arrays may be reused by the caller after this returns.
     */
    public void add(byte[] internalKey, byte[] value) {
        Objects.requireNonNull(internalKey, "internalKey");
        Objects.requireNonNull(value, "value");
        if (finished) {
            throw new IllegalStateException("table already finished");
        }
        checkKey(internalKey);
        if ((long) internalKey.length + value.length + ENTRY_OVERHEAD > TableFormat.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("entry of " + ((long) internalKey.length + value.length)
                    + " bytes exceeds the largest block a table holds (" + TableFormat.MAX_BLOCK_SIZE + ")");
        }
        byte[] key = internalKey.clone();
        if (largestKey != null && InternalKey.compare(largestKey, key) >= 0) {
            throw new IllegalArgumentException("keys must be strictly increasing: " + InternalKey.describe(key)
                    + " after " + InternalKey.describe(largestKey));
        }
        if (keyHashes.length > 0 && (largestKey == null || InternalKey.compareUserKeys(largestKey, key) != 0)) {
            addKeyHash(BloomFilter.hash(key, 0, InternalKey.userKeyLength(key)));
        }
        if (smallestKey == null) {
            smallestKey = key;
        }
        largestKey = key;
        dataBlock.add(key, value);
        entryCount++;
        if (dataBlock.estimatedSize() >= options.blockSize()) {
            flushDataBlock();
        }
    }

    private static void checkKey(byte[] internalKey) {
        try {
            InternalKey.check(internalKey);
            InternalKey.kind(internalKey);
        } catch (CorruptionException e) {
            throw new IllegalArgumentException("not a valid internal key: " + e.getMessage(), e);
        }
    }

    private void addKeyHash(int hash) {
        if (keyHashCount == keyHashes.length) {
            keyHashes = Arrays.copyOf(keyHashes, keyHashes.length * 2);
        }
        keyHashes[keyHashCount++] = hash;
    }

    private void flushDataBlock() {
        if (dataBlock.isEmpty()) {
            return;
        }
        BlockHandle handle = writeBlock(dataBlock, options.compression());
        handleBuffer.reset();
        handle.writeVarints(handleBuffer);
        // The index key is the block's last key: every key of the block is at or before it.
        indexBlock.add(dataBlock.lastKey(), handleBuffer.toByteArray());
        dataBlock.reset();
    }

    private BlockHandle writeBlock(BlockBuilder block, Compression compression) {
        ByteWriter contents = block.finish();
        return writeRaw(contents.array(), contents.size(), compression);
    }

    private BlockHandle writeRaw(byte[] contents, int length, Compression compression) {
        int storedSize = BlockCodec.write(file, contents, length, compression);
        BlockHandle handle = new BlockHandle(offset, storedSize);
        offset = handle.end();
        return handle;
    }

    /**
     * Writes the last data block, filter, index and footer. Does NOT sync or close the file (the caller does
     * write-temp/fsync/rename). Returns the file size.
     */
    public long finish() {
        if (finished) {
            throw new IllegalStateException("table already finished");
        }
        finished = true;
        flushDataBlock();
        BlockHandle filterHandle = null;
        if (options.bloomBitsPerKey() > 0) {
            byte[] filter = BloomFilter.build(keyHashes, keyHashCount, options.bloomBitsPerKey());
            // Bloom bits look random and never compress; trying would only cost time.
            filterHandle = writeRaw(filter, filter.length, Compression.NONE);
            keyHashes = new int[0];
        }
        BlockHandle indexHandle = writeBlock(indexBlock, options.compression());
        byte[] footer = new Footer(filterHandle, indexHandle, entryCount).encode();
        file.append(footer);
        offset += footer.length;
        LOG.debug("finished table {}: {} entries, {} bytes", file.path(), entryCount, offset);
        return offset;
    }

    /** Entries added so far. */
    public long entryCount() {
        return entryCount;
    }

    /** Bytes written so far plus the pending data block; the index, filter and footer are not counted. */
    public long estimatedFileSize() {
        return offset + (finished ? 0 : dataBlock.estimatedSize());
    }

    /** The first internal key added (a copy), or null if the table is empty. */
    public byte[] smallestKey() {
        return smallestKey == null ? null : smallestKey.clone();
    }

    /** The last internal key added (a copy), or null if the table is empty. */
    public byte[] largestKey() {
        return largestKey == null ? null : largestKey.clone();
    }
}
