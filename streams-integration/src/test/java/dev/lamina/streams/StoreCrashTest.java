package dev.lamina.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a child JVM that writes and commits ({@link StoreCrashChild}) at a random moment, again and again, and
 * checks the reopened store: its committed offset is at least the last one {@code commit} acknowledged, and every
 * record up to that offset is there, whether it was processed or restored.
 */
class StoreCrashTest {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCrashTest.class);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"process", "restore"})
    void theAcknowledgedOffsetAndItsDataSurviveKillDashNine(String mode) throws Exception {
        int cycles = Integer.getInteger("lamina.crash.cycles", 4);
        long seed = Long.getLong("lamina.seed", System.nanoTime());
        Random random = new Random(seed);
        long acknowledged = -1;
        for (int cycle = 0; cycle < cycles; cycle++) {
            acknowledged = Math.max(acknowledged, runAndKill(mode, "lamina", random));
            KeyValueStore<Bytes, byte[]> store = StoreHarness.open(StoreCrashChild.supplier("lamina"),
                    new TestStoreContext(dir.toFile()));
            try {
                Long committed = store.committedOffset(StoreCrashChild.CHANGELOG);
                String where = "cycle " + cycle + " (seed " + seed + "): ";
                assertNotNull(committed, where + "no committed offset after acknowledging " + acknowledged);
                assertTrue(committed >= acknowledged, where + "acknowledged offset " + acknowledged
                        + " lost: the store's committed offset is " + committed);
                for (long i = 0; i <= committed; i++) {
                    assertArrayEquals(StoreCrashChild.value(i), store.get(StoreCrashChild.key(i)),
                            where + "record " + i + " missing below the committed offset " + committed);
                }
                acknowledged = committed;
            } finally {
                store.close();
            }
        }
    }

    /**
     * Not a check of Lamina: runs the same kill against Kafka's own RocksDB store and logs how many acknowledged
     * offsets it lost, for the record (Kafka 4.3 makes them durable only when a memtable flushes).
     */
    @Test
    void kafkasRocksDbStoreForComparison() throws Exception {
        long acknowledged = runAndKill("process", "rocksdb", new Random(1));
        KeyValueStore<Bytes, byte[]> store = StoreHarness.open(StoreCrashChild.supplier("rocksdb"),
                new TestStoreContext(dir.toFile()));
        try {
            Long committed = store.committedOffset(StoreCrashChild.CHANGELOG);
            LOG.info("Kafka's RocksDB store after kill -9: acknowledged offset {}, committed offset found {}",
                    acknowledged, committed);
        } finally {
            store.close();
        }
    }

    /** Starts the child, lets it commit a random number of times, kills it; returns the last acknowledged offset. */
    private long runAndKill(String mode, String kind, Random random) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", StoreCrashChild.class.getName(), dir.toString(),
                mode, kind);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        long acked = -1;
        int commitsBeforeKill = 1 + random.nextInt(80);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && System.nanoTime() < deadline) {
                if (line.startsWith("committed ")) {
                    acked = Long.parseLong(line.substring("committed ".length()));
                    if (--commitsBeforeKill == 0) {
                        break;
                    }
                }
            }
            Thread.sleep(random.nextInt(20)); // most likely mid-write
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        } finally {
            child.destroyForcibly();
        }
        assertTrue(acked >= 0, "the child acknowledged no commit");
        return acked;
    }
}
