package dev.lamina.store.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bound on the heap that memtables and the block cache of many stores use together: what a RocksDB user
 * builds, with difficulty, from a shared cache and a write-buffer manager. Stores that join it
 * ({@code LaminaOptions.builder().memoryBudget(budget)}) share its block cache and report their memtable bytes.
 *
 * <ul>
 *   <li>When the memtables of all stores pass half the limit, the store with the largest memtable is asked to
 *       flush it.</li>
 *   <li>The block cache gets what the memtables leave: its capacity is the limit minus the memtable bytes, so it
 *       evicts as memtables grow.</li>
 *   <li>Writers stall (waiting for their flush) when memtables alone reach the limit.</li>
 * </ul>
 *
 * {@link #shared()} is the JVM-wide budget; its limit comes from the system property {@value #LIMIT_PROPERTY}
 * (default 256 MiB) and can be changed with {@link #setLimit(long)}. The Kafka Streams plugin always uses it.
 */
public final class MemoryBudget {
    public static final String LIMIT_PROPERTY = "lamina.memory.bytes";
    public static final long DEFAULT_LIMIT = 256L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(MemoryBudget.class);
    /** Resize the cache when memtable bytes have moved this far since the last resize. */
    private static final long REBALANCE_STEP = 256 << 10;

    private static final class Shared {
        static final MemoryBudget INSTANCE = new MemoryBudget(Long.getLong(LIMIT_PROPERTY, DEFAULT_LIMIT));
    }

    private volatile long limit;
    private final BlockCache cache;
    private final Set<Account> accounts = ConcurrentHashMap.newKeySet();
    private final AtomicLong memtableBytes = new AtomicLong();
    private volatile long lastRebalance;

    public MemoryBudget(long limitBytes) {
        if (limitBytes < (1 << 20)) {
            throw new IllegalArgumentException("memory budget must be at least 1 MiB, got " + limitBytes);
        }
        this.limit = limitBytes;
        this.cache = new BlockCache(limitBytes);
    }

    /** The JVM-wide budget. */
    public static MemoryBudget shared() {
        return Shared.INSTANCE;
    }

    public long limit() {
        return limit;
    }

    public void setLimit(long limitBytes) {
        if (limitBytes < (1 << 20)) {
            throw new IllegalArgumentException("memory budget must be at least 1 MiB, got " + limitBytes);
        }
        this.limit = limitBytes;
        rebalance();
    }

    /** The block cache every member store reads through. */
    public BlockCache blockCache() {
        return cache;
    }

    /** Memtable bytes of all member stores, mutable and immutable. */
    public long memtableBytes() {
        return memtableBytes.get();
    }

    /** Memtables plus cached blocks: what this budget bounds. */
    public long usedBytes() {
        return memtableBytes.get() + cache.usedBytes();
    }

    /** What each member store uses now. */
    public List<StoreUsage> usageByStore() {
        List<StoreUsage> out = new ArrayList<>();
        for (Account a : accounts) {
            out.add(new StoreUsage(a.name, a.memtableBytes, cache.partitionBytes(a.partition)));
        }
        return out;
    }

    /** One store's use of the budget. */
    public record StoreUsage(String store, long memtableBytes, long cacheBytes) {
    }

    /**
     * Joins a store. {@code flushRequest} must start a flush of the store's memtable without blocking the caller
     * (it is called from other stores' writers).
     */
    public Account join(String storeName, Runnable flushRequest) {
        Account a = new Account(storeName, cache.newPartition(), flushRequest);
        accounts.add(a);
        return a;
    }

    /** True when memtables alone fill the budget: writers should wait for their flushes. */
    public boolean memtablesOverLimit() {
        return memtableBytes.get() >= limit;
    }

    private void onMemtableChange() {
        long total = memtableBytes.get();
        if (Math.abs(total - lastRebalance) >= REBALANCE_STEP) {
            rebalance();
        }
        if (total > limit / 2) {
            Account largest = null;
            for (Account a : accounts) {
                if (!a.flushRequested && (largest == null || a.memtableBytes > largest.memtableBytes)) {
                    largest = a;
                }
            }
            if (largest != null && largest.memtableBytes > 0) {
                largest.flushRequested = true;
                LOG.debug("Memory budget: memtables hold {} of {} bytes; asking {} to flush", total, limit,
                        largest.name);
                largest.flushRequest.run();
            }
        }
    }

    private synchronized void rebalance() {
        long total = memtableBytes.get();
        lastRebalance = total;
        cache.setCapacity(Math.max(0, limit - total));
    }

    /** A member store's handle: reports its memtable bytes; close it when the store closes. */
    public final class Account implements AutoCloseable {
        private final String name;
        private final long partition;
        private final Runnable flushRequest;
        private volatile long memtableBytes;
        private volatile boolean flushRequested;

        private Account(String name, long partition, Runnable flushRequest) {
            this.name = name;
            this.partition = partition;
            this.flushRequest = flushRequest;
        }

        /** True when the memtables of all member stores fill the whole budget. */
        public boolean memtablesOverLimit() {
            return MemoryBudget.this.memtablesOverLimit();
        }

        /** The store's block-cache partition (see {@link BlockCache#fileKey}). */
        public long cachePartition() {
            return partition;
        }

        /** Reports the store's current memtable bytes (mutable plus immutable). */
        public void update(long bytes) {
            long delta;
            synchronized (this) {
                delta = bytes - memtableBytes;
                if (bytes < memtableBytes) {
                    flushRequested = false;
                }
                memtableBytes = bytes;
            }
            if (delta != 0) {
                MemoryBudget.this.memtableBytes.addAndGet(delta);
                onMemtableChange();
            }
        }

        @Override
        public void close() {
            if (accounts.remove(this)) {
                update(0);
                cache.dropPartition(partition);
            }
        }
    }
}
