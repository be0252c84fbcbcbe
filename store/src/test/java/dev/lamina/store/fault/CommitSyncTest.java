package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CommitSync;
import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.NioFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability contract of each {@link CommitSync} mode: when {@code commit} returns, its data and metadata
 * survive a crash of the process; under {@code ALWAYS} they survive a power loss too, under {@code INTERVAL} once the
 * background sync has run, and a power loss before that brings back the previous commit whole.
 */
class CommitSyncTest {
    private static final long HOUR = 3_600_000;

    @TempDir
    Path tmp;

    private static LaminaOptions options(FileSystem fs, CommitSync sync, long intervalMillis) {
        return LaminaOptions.builder().writeBufferSize(64 << 10).fileSystem(fs).commitSync(sync)
                .commitSyncIntervalMillis(intervalMillis).build();
    }

    @Test
    void underIntervalACommitReturnsWithoutAnFsyncAndSurvivesACrashOfTheProcess() {
        PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, options(fs, CommitSync.INTERVAL, HOUR))) {
            db.put(bytes("a"), bytes("1"));
            db.commit(bytes("c1"));
            long syncsBefore = fs.syncPoints();
            db.put(bytes("b"), bytes("2"));
            db.commit(bytes("c2"));
            assertEquals(syncsBefore, fs.syncPoints(), "a commit under INTERVAL synced a file");

            assertACrashKeeps(fs, dir, CrashKind.PROCESS_CRASH, "c2", "b", "2");
        }
    }

    @Test
    void underIntervalAPowerLossBeforeTheBackgroundSyncBringsBackAnEarlierCompleteCommit() {
        PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, options(fs, CommitSync.INTERVAL, HOUR))) {
            db.put(bytes("a"), bytes("1"));
            db.commit(bytes("c1"));
            db.flush(); // c1 is now durable: the switch synced the log that holds it
            db.put(bytes("a"), bytes("2"));
            db.put(bytes("b"), bytes("2"));
            db.commit(bytes("c2"));

            for (CrashKind kind : new CrashKind[] {CrashKind.POWER_LOSS, CrashKind.POWER_LOSS_TORN_TAIL,
                    CrashKind.POWER_LOSS_LOST_PAGES}) {
                Path image = tmp.resolve("power-" + kind);
                fs.writeImage(dir, image, kind, new Random(kind.ordinal()));
                try (Lamina recovered = Lamina.open(image, LaminaOptions.defaults())) {
                    byte[] commit = recovered.committedMetadata();
                    if (new String(commit, StandardCharsets.UTF_8).equals("c1")) {
                        assertArrayEquals(bytes("1"), recovered.get(bytes("a")), kind.toString());
                        assertNull(recovered.get(bytes("b")), kind.toString());
                    } else {
                        assertArrayEquals(bytes("c2"), commit, kind.toString());
                        assertArrayEquals(bytes("2"), recovered.get(bytes("a")), kind.toString());
                        assertArrayEquals(bytes("2"), recovered.get(bytes("b")), kind.toString());
                    }
                }
            }
            assertACrashKeeps(fs, dir, CrashKind.POWER_LOSS, "c1", "a", "1"); // only synced bytes survive
        }
    }

    @Test
    void underIntervalTheBackgroundSyncMakesACommitSurvivePowerLoss() throws Exception {
        PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, options(fs, CommitSync.INTERVAL, 20))) {
            db.put(bytes("a"), bytes("1"));
            long syncs = db.statistics().walSyncs();
            db.commit(bytes("c1"));
            awaitTrue(() -> db.statistics().walSyncs() > syncs, "the background sync did not run");
            assertACrashKeeps(fs, dir, CrashKind.POWER_LOSS, "c1", "a", "1");
        }
    }

    @Test
    void underAlwaysACommitIsOnStableStorageWhenItReturns() {
        PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, options(fs, CommitSync.ALWAYS, HOUR))) {
            db.put(bytes("a"), bytes("1"));
            db.commit(bytes("c1"));
            assertACrashKeeps(fs, dir, CrashKind.POWER_LOSS, "c1", "a", "1");
        }
    }

    @Test
    void aFailedBackgroundSyncMakesTheStoreRefuseWrites() throws Exception {
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem(NioFileSystem.instance());
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, options(fs, CommitSync.INTERVAL, 10))) {
            db.put(bytes("a"), bytes("1"));
            fs.add((op, path, nth) -> op == FileOp.SYNC && path.toString().endsWith(".log"));
            db.commit(bytes("c1")); // returns: the sync it needs comes later
            awaitTrue(() -> fs.injected() > 0, "the background sync did not run");
            LaminaIOException e = assertThrows(LaminaIOException.class, () -> {
                for (int i = 0; i < 1000; i++) { // the failure is latched right after the injected one
                    db.put(bytes("b"), bytes("2"));
                    Thread.sleep(10);
                }
            });
            assertTrue(e.getMessage().contains("refuses writes"), e.getMessage());
            assertThrows(LaminaIOException.class, () -> db.commit(bytes("c2")));
            fs.heal();
        }
    }

    /** The state a crash of {@code kind} leaves now holds commit {@code commit} and {@code key} = {@code value}. */
    private void assertACrashKeeps(PowerLossFileSystem fs, Path dir, CrashKind kind, String commit, String key,
            String value) {
        Path image = tmp.resolve("crash-" + kind);
        fs.writeImage(dir, image, kind, null);
        try (Lamina recovered = Lamina.open(image, LaminaOptions.defaults())) {
            assertArrayEquals(bytes(commit), recovered.committedMetadata(), kind.toString());
            assertArrayEquals(bytes(value), recovered.get(bytes(key)), kind.toString());
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, message);
            Thread.sleep(5);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
