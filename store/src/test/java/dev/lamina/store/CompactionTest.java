package dev.lamina.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction as a user sees it: space reclaimed, level 0 bounded, snapshots and deletions honoured. */
class CompactionTest {
    @TempDir
    Path dir;

    private static byte[] key(int i) {
        return String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName() + "=" + p.toFile().length()).sorted().toList().toString();
        }
    }

    @Test
    void overwrittenValuesAreReclaimedByCompactRange() throws IOException {
        int keys = 20_000;
        Random random = new Random(7);
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(1 << 20).build();
        long live = 0;
        try (Lamina db = Lamina.open(dir, options)) {
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < keys; i++) {
                    byte[] value = new byte[100];
                    random.nextBytes(value);
                    db.put(key(i), value);
                }
            }
            for (int i = 0; i < keys; i++) {
                live += key(i).length + 100;
            }
            db.compactRange(null, null);
            long onDisk = directoryBytes(dir);
            assertTrue(onDisk <= 1.5 * live, "directory holds " + onDisk + " bytes for " + live + " live bytes: "
                    + listing(dir) + " " + db.statistics());
            assertTrue(db.statistics().compactions() > 0);
            assertEquals(0, db.statistics().tableFiles(0), "compactRange leaves nothing in level 0");
        }
    }

    @Test
    void levelZeroNeverPassesTheStopTriggerUnderSustainedWrites() throws Exception {
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 10).build();
        AtomicInteger maxLevel0 = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        try (Lamina db = Lamina.open(dir, options)) {
            Thread watcher = new Thread(() -> {
                while (!done.get()) {
                    maxLevel0.accumulateAndGet(db.statistics().tableFiles(0), Math::max);
                    Thread.onSpinWait();
                }
            });
            watcher.start();
            byte[] value = new byte[200];
            for (int i = 0; i < 60_000; i++) {
                db.put(key(i % 15_000), value);
            }
            done.set(true);
            watcher.join();
            assertTrue(maxLevel0.get() <= options.level0StopTrigger(),
                    "level 0 reached " + maxLevel0.get() + " files, stop trigger is " + options.level0StopTrigger());
            assertTrue(db.statistics().compactions() > 0);
            for (int i = 0; i < 15_000; i += 997) {
                assertArrayEquals(value, db.get(key(i)));
            }
        }
    }

    @Test
    void compactRangeDropsDeletedKeysAndKeepsWhatASnapshotSees() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            for (int i = 0; i < 1000; i++) {
                db.put(key(i), key(i));
            }
            db.flush();
            Snapshot before = db.getSnapshot();
            for (int i = 0; i < 1000; i += 2) {
                db.delete(key(i));
            }
            db.compactRange(null, null);
            assertNull(db.get(key(0)));
            assertArrayEquals(key(0), db.get(before, key(0)), "a snapshot keeps its view through compaction");
            before.close();
            db.compactRange(null, null);
            assertNull(db.get(key(0)));
            assertArrayEquals(key(1), db.get(key(1)));
            assertEquals(500, db.estimateNumKeys(), "deletions and the values they hid are gone at the bottom");
        }
    }

    @Test
    void compactRangeLimitedToARangeLeavesTheRestReadable() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.builder().writeBufferSize(64 << 10).build())) {
            for (int i = 0; i < 5000; i++) {
                db.put(key(i), key(i));
            }
            db.compactRange(key(1000), key(2000));
            for (int i = 0; i < 5000; i += 7) {
                assertArrayEquals(key(i), db.get(key(i)));
            }
            try (LaminaIterator it = db.newIterator()) {
                int n = 0;
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    n++;
                }
                assertEquals(5000, n);
            }
        }
    }

    @Test
    void aStoreReopensWithTheSameContentsAfterCompaction() {
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 10).build();
        try (Lamina db = Lamina.open(dir, options)) {
            for (int i = 0; i < 20_000; i++) {
                db.put(key(i % 4000), key(i));
            }
            db.compactRange(null, null);
        }
        try (Lamina db = Lamina.open(dir, options)) {
            for (int k = 0; k < 4000; k++) {
                assertArrayEquals(key(16_000 + k), db.get(key(k)));
            }
            assertFalse(db.statistics().tableFiles(0) > 0 && db.statistics().tableFiles(1) == 0);
        }
    }
}
