package dev.lamina.store.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.store.Compression;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void manyThreadsReadOneTableThroughASmallSharedCache() throws Exception {
        List<InternalEntry> entries = TableFixtures.sortedEntries(2000, 50, 31);
        Path path = dir.resolve("shared.sst");
        TableFixtures.writeTable(path, TableFixtures.smallBlocks(Compression.ZSTD), entries);
        // Small enough that blocks are evicted and reloaded while threads read.
        BlockCache cache = new BlockCache(16 * 1024);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (TableReader table = TableFixtures.openTable(path, cache)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                results.add(pool.submit(() -> readEverything(table, entries, new Random(seed))));
            }
            for (Future<Integer> result : results) {
                assertEquals(entries.size(), result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static int readEverything(TableReader table, List<InternalEntry> entries, Random random) {
        for (int i = 0; i < 2000; i++) {
            InternalEntry expected = entries.get(random.nextInt(entries.size()));
            InternalEntry found = table.get(InternalKey.userKey(expected.key()), expected.sequence());
            assertArrayEquals(expected.key(), found.key());
            assertArrayEquals(expected.value(), found.value());
        }
        int seen = 0;
        try (InternalIterator it = table.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                assertArrayEquals(entries.get(seen).key(), it.key());
                seen++;
            }
        }
        return seen;
    }
}
