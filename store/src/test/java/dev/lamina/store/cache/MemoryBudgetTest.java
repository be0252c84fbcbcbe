package dev.lamina.store.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many stores in one JVM under one budget: memtables and cache together stay within it. */
class MemoryBudgetTest {
    private static final long LIMIT = 16L << 20;

    @TempDir
    Path dir;

    private static byte[] key(int i) {
        return String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWriteBufferAboveHalfTheBudgetIsNamedInOneWarningAtOpen() throws Exception {
        MemoryBudget budget = new MemoryBudget(8L << 20);
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Path big = dir.resolve("big");
            try (Lamina db = Lamina.open(big, LaminaOptions.builder().memoryBudget(budget)
                    .writeBufferSize(16L << 20).build())) {
                db.put(new byte[] {1}, new byte[] {2});
            }
            try (Lamina db = Lamina.open(dir.resolve("small"), LaminaOptions.builder().memoryBudget(budget)
                    .writeBufferSize(4L << 20).build())) {
                db.put(new byte[] {1}, new byte[] {2});
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            List<String> warnings = log.lines().filter(l -> l.contains("more than half the memory budget")).toList();
            assertEquals(1, warnings.size(), log);
            assertTrue(warnings.get(0).contains(big.toString()), warnings.get(0));
            assertTrue(warnings.get(0).contains(String.valueOf(16L << 20)), warnings.get(0));
            assertTrue(warnings.get(0).contains(String.valueOf(8L << 20)), warnings.get(0));
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void manyStoresUnderOneBudgetStayWithinIt() {
        MemoryBudget budget = new MemoryBudget(LIMIT);
        // Each store alone may buffer 4 MiB: twelve of them could hold 48 MiB of memtables without the budget.
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(4 << 20).memoryBudget(budget).build();
        List<Lamina> stores = new ArrayList<>();
        long heapBefore = usedHeapAfterGc();
        long maxUsed = 0;
        try {
            for (int s = 0; s < 12; s++) {
                stores.add(Lamina.open(dir.resolve("store-" + s), options));
            }
            Random random = new Random(3);
            byte[] value = new byte[200];
            int keysPerStore = 12_000;
            for (int i = 0; i < keysPerStore; i++) {
                for (Lamina db : stores) {
                    random.nextBytes(value);
                    db.put(key(i), value);
                }
                if (i % 500 == 0) {
                    maxUsed = Math.max(maxUsed, budget.usedBytes());
                }
            }
            // Reads fill the shared cache; it must give way to the memtables' share.
            for (int round = 0; round < 3; round++) {
                for (Lamina db : stores) {
                    for (int i = 0; i < keysPerStore; i += 3) {
                        db.get(key(i));
                    }
                    maxUsed = Math.max(maxUsed, budget.usedBytes());
                }
            }
            long flushes = stores.stream().mapToLong(db -> db.statistics().flushes()).sum();
            assertTrue(flushes > 0, "the budget made stores flush before their 4 MiB write buffers filled");
            long perStore = budget.usageByStore().stream().mapToLong(u -> u.memtableBytes() + u.cacheBytes()).sum();
            assertTrue(perStore <= budget.usedBytes() + (1 << 20), "per-store usage adds up to the total");
            assertEquals(12, budget.usageByStore().size());
            long heapGrowth = usedHeapAfterGc() - heapBefore;
            System.out.printf("MemoryBudgetTest: 12 stores, limit %d bytes: peak budget use %d bytes, heap growth"
                    + " after GC %d bytes, flushes %d%n", LIMIT, maxUsed, heapGrowth, flushes);
            assertTrue(maxUsed <= LIMIT * 11 / 10, "budget use peaked at " + maxUsed + " bytes, limit " + LIMIT);
            // The accounting is an estimate; the heap it stands for must be of the same size.
            assertTrue(heapGrowth <= 2 * LIMIT + (8 << 20), "heap grew by " + heapGrowth + " bytes under a "
                    + LIMIT + "-byte budget");
            for (Lamina db : stores) {
                assertArrayEquals(null, db.get(key(keysPerStore + 1)));
                assertTrue(db.get(key(5)) != null);
            }
        } finally {
            stores.forEach(Lamina::close);
        }
        assertEquals(0, budget.memtableBytes(), "closed stores leave the budget");
    }

    @Test
    void theCacheShrinksAsMemtablesGrow() {
        MemoryBudget budget = new MemoryBudget(4L << 20);
        assertEquals(4L << 20, budget.blockCache().capacityBytes());
        MemoryBudget.Account account = budget.join("s", () -> { });
        account.update(3L << 20);
        assertEquals(1L << 20, budget.blockCache().capacityBytes());
        account.close();
        assertEquals(4L << 20, budget.blockCache().capacityBytes());
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
