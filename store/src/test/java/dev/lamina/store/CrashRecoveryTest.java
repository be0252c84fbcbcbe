package dev.lamina.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing, committing child JVM with SIGKILL at random moments, again and again on one store. After each
 * kill the store must hold every acknowledged commit and exactly a prefix of the batches: no batch half-applied,
 * none missing before the last one present. {@code -Dlamina.crash.cycles=N} sets the number of kills.
 */
class CrashRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void killedWriterLeavesAPrefixHoldingEveryAcknowledgedCommit() throws Exception {
        int cycles = Integer.getInteger("lamina.crash.cycles", 4);
        long seed = Long.getLong("lamina.seed", System.nanoTime());
        Random random = new Random(seed);
        long acknowledged = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            long ackedThisRun = runAndKill(random, acknowledged);
            acknowledged = Math.max(acknowledged, ackedThisRun);
            try {
                verify(acknowledged);
            } catch (AssertionError e) {
                throw new AssertionError("cycle " + cycle + " (seed " + seed + "): " + e.getMessage(), e);
            }
        }
    }

    /** Starts the child, lets it commit a random number of times, kills it; returns the last acknowledged batch. */
    private long runAndKill(Random random, long previous) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", CrashWriterMain.class.getName(), dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        long acked = previous;
        int commitsBeforeKill = 1 + random.nextInt(60);
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
            // Kill at a random moment after the last acknowledgement read, mid-write most likely.
            Thread.sleep(random.nextInt(30));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        } finally {
            child.destroyForcibly();
        }
        return acked;
    }

    private void verify(long acknowledged) {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            long present = CrashWorkload.decode(db.get(CrashWorkload.COUNTER));
            assertTrue(present >= acknowledged,
                    "acknowledged commit of batch " + acknowledged + " lost: store holds batches up to " + present);
            long committed = CrashWorkload.decode(db.committedMetadata());
            assertTrue(committed >= acknowledged && committed <= present,
                    "committed metadata " + committed + " not in [" + acknowledged + ", " + present + "]");
            NavigableMap<byte[], byte[]> model = CrashWorkload.model(present);
            try (LaminaIterator it = db.newIterator()) {
                it.seekToFirst();
                for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
                    assertTrue(it.isValid(), "missing key " + new String(e.getKey(), StandardCharsets.UTF_8));
                    assertEquals(new String(e.getKey(), StandardCharsets.UTF_8),
                            new String(it.key(), StandardCharsets.UTF_8));
                    assertArrayEquals(e.getValue(), it.value());
                    it.next();
                }
                assertFalse(it.isValid(), "store has keys beyond the prefix of " + present + " batches");
            }
        }
    }
}
