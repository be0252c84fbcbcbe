package dev.lamina.store.table;

import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.version.FileNames;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open readers of a store's live tables, opened on first use. A reader is closed only when its file is deleted,
 * which happens only once no version lists the file, so no read can be using it then.
 */
public final class TableCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableCache.class);

    private final FileSystem fs;
    private final Path dir;
    private final BlockCache blockCache;
    private final long cachePartition;
    private final ConcurrentHashMap<Long, TableReader> readers = new ConcurrentHashMap<>();

    /** {@code cachePartition} keeps this store's blocks apart from other stores' in a shared block cache. */
    public TableCache(FileSystem fs, Path dir, BlockCache blockCache, long cachePartition) {
        this.fs = fs;
        this.dir = dir;
        this.blockCache = blockCache;
        this.cachePartition = cachePartition;
    }

    public TableReader get(long fileNumber) {
        TableReader reader = readers.get(fileNumber);
        if (reader != null) {
            return reader;
        }
        return readers.computeIfAbsent(fileNumber, this::open);
    }

    private TableReader open(long fileNumber) {
        Path path = FileNames.tablePath(dir, fileNumber);
        ReadableFile file = fs.openReadable(path);
        try {
            return TableReader.open(file, BlockCache.fileKey(cachePartition, fileNumber), blockCache);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Closes the reader of a deleted table; returns the key of its blocks in the block cache, for the caller to
     * drop with {@link BlockCache#evictFiles} (one pass over the cache for all the files deleted together).
     */
    public long close(long fileNumber) {
        TableReader reader = readers.remove(fileNumber);
        if (reader != null) {
            closeQuietly(reader);
        }
        return BlockCache.fileKey(cachePartition, fileNumber);
    }

    public int openTables() {
        return readers.size();
    }

    @Override
    public void close() {
        readers.values().forEach(TableCache::closeQuietly);
        readers.clear();
    }

    private static void closeQuietly(TableReader reader) {
        try {
            reader.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing table {} failed", reader.fileNumber(), e);
        }
    }
}
