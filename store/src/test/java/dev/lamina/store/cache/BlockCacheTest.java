package dev.lamina.store.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlockCacheTest {

    @Test
    void countsHitsAndMisses() {
        BlockCache cache = new BlockCache(1 << 20);
        AtomicInteger loads = new AtomicInteger();
        byte[] block = new byte[100];
        byte[] first = cache.getOrLoad(1, 0, () -> {
            loads.incrementAndGet();
            return block;
        });
        byte[] second = cache.getOrLoad(1, 0, () -> {
            loads.incrementAndGet();
            return new byte[100];
        });
        assertSame(block, first);
        assertSame(block, second);
        assertEquals(1, loads.get());
        assertEquals(1, cache.hits());
        assertEquals(1, cache.misses());
        cache.getOrLoad(2, 0, () -> new byte[10]);
        cache.getOrLoad(1, 4096, () -> new byte[10]);
        assertEquals(3, cache.misses(), "file number and offset both distinguish blocks");
        assertEquals(100 + 10 + 10 + 3L * BlockCache.ENTRY_OVERHEAD_BYTES, cache.usedBytes());
    }

    @Test
    void staysWithinItsCapacity() {
        long capacity = 64 * 1024;
        BlockCache cache = new BlockCache(capacity);
        for (int i = 0; i < 1000; i++) {
            cache.getOrLoad(i % 7, i * 4096L, () -> new byte[4000]);
            assertTrue(cache.usedBytes() <= capacity, "used " + cache.usedBytes());
        }
        assertTrue(cache.usedBytes() > capacity / 2, "the cache should hold something: " + cache.usedBytes());
        assertEquals(capacity, cache.capacityBytes());
    }

    @Test
    void zeroCapacityLoadsEveryTime() {
        BlockCache cache = new BlockCache(0);
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            cache.getOrLoad(1, 0, () -> {
                loads.incrementAndGet();
                return new byte[8];
            });
        }
        assertEquals(3, loads.get());
        assertEquals(0, cache.hits());
        assertEquals(3, cache.misses());
        assertEquals(0, cache.usedBytes());
    }

    @Test
    void evictsEveryBlockOfOneFile() {
        BlockCache cache = new BlockCache(1 << 20);
        for (int i = 0; i < 10; i++) {
            cache.getOrLoad(1, i, () -> new byte[10]);
            cache.getOrLoad(2, i, () -> new byte[10]);
        }
        cache.evictFiles(java.util.Set.of(1L));
        assertEquals(10, cache.blockCount());
        cache.getOrLoad(2, 3, () -> new byte[10]);
        assertEquals(1, cache.hits());
        cache.getOrLoad(1, 3, () -> new byte[10]);
        assertEquals(21, cache.misses());
    }

    @Test
    void aFailedLoadCachesNothing() {
        BlockCache cache = new BlockCache(1 << 20);
        assertThrows(IllegalStateException.class, () -> cache.getOrLoad(1, 0, () -> {
            throw new IllegalStateException("disk on fire");
        }));
        assertEquals(0, cache.blockCount());
        assertThrows(IllegalArgumentException.class, () -> new BlockCache(-1));
    }
}
