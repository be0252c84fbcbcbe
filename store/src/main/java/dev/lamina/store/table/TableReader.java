package dev.lamina.store.table;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one SSTable. The footer, index and filter are read and verified once by {@link #open}; data blocks are
 * read on demand through the {@link BlockCache}, their checksums verified on every read from disk.
 *
 * <p>Thread-safe: after {@code open} the reader is immutable, so any number of threads may call {@link #get},
 * {@link #mayContain} and {@link #newIterator} at once (each iterator belongs to one thread). The caller must not
 * {@link #close} it while another thread still uses it or one of its iterators.
 */
public final class TableReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableReader.class);

    private final ReadableFile file;
    private final long fileNumber;
    private final long fileSize;
    private final long entryCount;
    private final TableIndex index;
    /** Null when the table was written without a filter. */
    private final BloomFilter filter;
    private final BlockCache cache;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TableReader(ReadableFile file, long fileNumber, long fileSize, Footer footer, TableIndex index,
            BloomFilter filter, BlockCache cache) {
        this.file = file;
        this.fileNumber = fileNumber;
        this.fileSize = fileSize;
        this.entryCount = footer.entryCount();
        this.index = index;
        this.filter = filter;
        this.cache = cache;
    }

    /**
     * Reads and verifies the footer, index and filter. fileNumber identifies the table in the block cache. Throws
     * CorruptionException naming the file and offset for any bad footer/magic/version/checksum/truncation. The
     * reader owns {@code file} and closes it on close(); if {@code open} throws, it has already closed the file.
     *
     * @param cache the cache for data blocks; a {@code BlockCache} of capacity 0 disables caching
     */
    public static TableReader open(ReadableFile file, long fileNumber, BlockCache cache) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(cache, "cache");
        try {
            return openVerified(file, fileNumber, cache);
        } catch (RuntimeException e) {
            try {
                file.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static TableReader openVerified(ReadableFile file, long fileNumber, BlockCache cache) {
        Path path = file.path();
        long size = file.size();
        if (size < TableFormat.FOOTER_SIZE) {
            throw new CorruptionException("truncated table: " + size + " bytes is shorter than the footer", path, 0);
        }
        long footerOffset = size - TableFormat.FOOTER_SIZE;
        Footer footer = Footer.decode(BlockCodec.readFully(file, footerOffset, TableFormat.FOOTER_SIZE), path,
                footerOffset);
        BlockHandle indexHandle = footer.index();
        checkMetaHandle("index", indexHandle, path, footerOffset);
        Block indexBlock = new Block(BlockCodec.read(file, indexHandle), path, indexHandle.offset());
        long dataEnd = indexHandle.offset();
        BloomFilter filter = null;
        if (footer.filter() != null) {
            BlockHandle filterHandle = footer.filter();
            checkMetaHandle("filter", filterHandle, path, footerOffset);
            filter = BloomFilter.decode(BlockCodec.read(file, filterHandle), path, filterHandle.offset());
            dataEnd = Math.min(dataEnd, filterHandle.offset());
        }
        TableIndex index = TableIndex.decode(indexBlock, path, indexHandle.offset(), dataEnd);
        LOG.debug("opened table {} (number {}): {} entries in {} blocks, filter {}", path, fileNumber,
                footer.entryCount(), index.blockCount(), filter != null);
        return new TableReader(file, fileNumber, size, footer, index, filter, cache);
    }

    private static void checkMetaHandle(String what, BlockHandle handle, Path path, long footerOffset) {
        if (!handle.fitsWithin(footerOffset)) {
            throw new CorruptionException(what + " block handle " + handle + " lies outside the table", path,
                    footerOffset);
        }
    }

    /**
     * The newest entry for userKey with sequence {@code <=} sequence (any kind, including DELETION and POINTER), or
     * null if the table has none. Consults the bloom filter first. A sequence above
     * {@link InternalKey#MAX_SEQUENCE} means "the newest".
     */
    public InternalEntry get(byte[] userKey, long sequence) {
        Objects.requireNonNull(userKey, "userKey");
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence " + sequence);
        }
        if (!mayContain(userKey)) {
            return null;
        }
        byte[] target = InternalKey.seekKey(userKey, Math.min(sequence, InternalKey.MAX_SEQUENCE));
        int blockNumber = index.findBlock(target);
        if (blockNumber == index.blockCount()) {
            return null;
        }
        BlockIterator entries = dataBlock(blockNumber).newIterator();
        entries.seek(target);
        if (!entries.isValid() || InternalKey.compareToUserKey(entries.key(), userKey) != 0) {
            return null;
        }
        return new InternalEntry(entries.key(), entries.value());
    }

    /** True unless the bloom filter proves the user key absent. */
    public boolean mayContain(byte[] userKey) {
        return filter == null || filter.mayContain(userKey);
    }

    /** A new iterator over every entry; full bidirectional: seekToFirst/seekToLast/seek/next/prev. */
    public InternalIterator newIterator() {
        return new TableIterator(this, index);
    }

    /** Data block {@code blockNumber} of the index, from the cache or from disk. */
    Block dataBlock(int blockNumber) {
        BlockHandle handle = index.handle(blockNumber);
        byte[] contents = cache.getOrLoad(fileNumber, handle.offset(), () -> BlockCodec.read(file, handle));
        return new Block(contents, file.path(), handle.offset());
    }

    /** The number this table is known by in the block cache. */
    public long fileNumber() {
        return fileNumber;
    }

    /** Size of the table file in bytes, as found by {@link #open}. */
    public long fileSize() {
        return fileSize;
    }

    /** Entries in the table, every version and deletion counted, as recorded in the footer. */
    public long entryCount() {
        return entryCount;
    }

    /** The file this reader reads. */
    public Path path() {
        return file.path();
    }

    /** Closes the file. Idempotent. Cached blocks stay until evicted ({@link BlockCache#evictFile}). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            file.close();
        }
    }
}
