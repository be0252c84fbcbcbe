package dev.lamina.store.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Uncompressed table blocks, keyed by (table file number, block offset) and weighed by their size in bytes plus a
 * fixed per-entry overhead. Backed by Caffeine; thread-safe. A capacity of 0 disables caching: every lookup loads.
 *
 * <p>Stores that share one cache each take a partition ({@link #newPartition()}) and key their tables with
 * {@link #fileKey(long, long)}, so equal file numbers of different stores never collide, and each store's share of
 * the cache can be read ({@link #partitionBytes(long)}). The capacity can change while in use
 * ({@link #setCapacity(long)}): the memory budget shrinks the cache as memtables grow.
 */
public final class BlockCache {
    /** Rough heap cost of a cache entry beyond the block's bytes: key object, array header, Caffeine node. */
    static final int ENTRY_OVERHEAD_BYTES = 96;

    /** Bits of a file key that hold the file number; the partition sits above them. */
    private static final int FILE_NUMBER_BITS = 40;

    private volatile long capacityBytes;
    private final AtomicLong nextPartition = new AtomicLong();
    private final ConcurrentHashMap<Long, LongAdder> partitionBytes = new ConcurrentHashMap<>();
    /** Null when caching is disabled. */
    private final Cache<BlockKey, byte[]> blocks;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /** @param capacityBytes total weight the cache may hold; 0 disables caching */
    public BlockCache(long capacityBytes) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("negative cache capacity " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.blocks = capacityBytes == 0 ? null : Caffeine.newBuilder()
                .maximumWeight(capacityBytes)
                .weigher((BlockKey key, byte[] block) -> weigh(block))
                .removalListener((BlockKey key, byte[] block, RemovalCause cause) -> {
                    if (key != null && block != null) {
                        partitionUsage(key.fileNumber() >>> FILE_NUMBER_BITS).add(-weigh(block));
                    }
                })
                // Evict on the caller's thread: the weight bound then holds when a call returns, and no pool
                // thread is involved.
                .executor(Runnable::run)
                .build();
    }

    static int weigh(byte[] block) {
        return (int) Math.min(Integer.MAX_VALUE, (long) block.length + ENTRY_OVERHEAD_BYTES);
    }

    /**
     * The cached block at ({@code fileNumber}, {@code blockOffset}), or the block {@code loader} produces, which is
     * then cached. The loader runs outside any cache lock, so a slow disk read blocks no other lookup; two threads
     * missing the same block at once may both load it. Exceptions from the loader propagate and nothing is cached.
     * The returned array is shared: callers must not modify it.
     */
    public byte[] getOrLoad(long fileNumber, long blockOffset, Supplier<byte[]> loader) {
        Objects.requireNonNull(loader, "loader");
        if (blocks == null) {
            misses.increment();
            return loader.get();
        }
        BlockKey key = new BlockKey(fileNumber, blockOffset);
        byte[] block = blocks.getIfPresent(key);
        if (block != null) {
            hits.increment();
            return block;
        }
        misses.increment();
        block = Objects.requireNonNull(loader.get(), "loader returned null");
        partitionUsage(fileNumber >>> FILE_NUMBER_BITS).add(weigh(block));
        blocks.put(key, block);
        return block;
    }

    /**
     * Drops every cached block of the given files (file keys, as {@link #fileKey}), for example once they are deleted.
     * Scans the whole cache once, so pass every file deleted together: a scan per file took a third of a busy
     * store's background time. Safe to call concurrently with lookups; a block loaded concurrently may stay.
     */
    public void evictFiles(Set<Long> fileKeys) {
        if (blocks != null && !fileKeys.isEmpty()) {
            blocks.asMap().keySet().removeIf(key -> fileKeys.contains(key.fileNumber()));
        }
    }

    /** Lookups answered from the cache. */
    public long hits() {
        return hits.sum();
    }

    /** Lookups that had to load the block, including every lookup when caching is disabled. */
    public long misses() {
        return misses.sum();
    }

    /** Total weight of the cached blocks now: their bytes plus the per-entry overhead. */
    public long usedBytes() {
        if (blocks == null) {
            return 0;
        }
        blocks.cleanUp();
        return blocks.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** The capacity now; 0 when caching is disabled. */
    public long capacityBytes() {
        return capacityBytes;
    }

    /**
     * Changes the capacity of an enabled cache, evicting at once if it shrinks. A cache built with capacity 0 stays
     * disabled.
     */
    public void setCapacity(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative cache capacity " + bytes);
        }
        if (blocks != null) {
            capacityBytes = bytes;
            blocks.policy().eviction().orElseThrow().setMaximum(bytes);
            blocks.cleanUp();
        }
    }

    /** A partition number for one store's tables in a shared cache. */
    public long newPartition() {
        return nextPartition.incrementAndGet();
    }

    /** The key under which a store in {@code partition} caches the blocks of table {@code fileNumber}. */
    public static long fileKey(long partition, long fileNumber) {
        if (fileNumber >>> FILE_NUMBER_BITS != 0 || partition >>> (63 - FILE_NUMBER_BITS) != 0) {
            throw new IllegalArgumentException("file number " + fileNumber + " or partition " + partition
                    + " out of range for a cache key");
        }
        return (partition << FILE_NUMBER_BITS) | fileNumber;
    }

    /** Bytes the blocks of one partition weigh now. */
    public long partitionBytes(long partition) {
        LongAdder used = partitionBytes.get(partition);
        return used == null ? 0 : Math.max(0, used.sum());
    }

    /** Drops a closed store's partition and its blocks. */
    public void dropPartition(long partition) {
        if (blocks != null) {
            blocks.asMap().keySet().removeIf(key -> key.fileNumber() >>> FILE_NUMBER_BITS == partition);
        }
        partitionBytes.remove(partition);
    }

    private LongAdder partitionUsage(long partition) {
        return partitionBytes.computeIfAbsent(partition, p -> new LongAdder());
    }

    /** Blocks cached now. */
    public long blockCount() {
        return blocks == null ? 0 : blocks.estimatedSize();
    }

    private record BlockKey(long fileNumber, long blockOffset) {
    }
}
