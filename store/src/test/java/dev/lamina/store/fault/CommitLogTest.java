package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.WriteBatch;
import dev.lamina.store.io.ForwardingFileSystem;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.log.LogWriter;
import dev.lamina.store.wal.WalRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes reach the WAL only at a commit, as the newest entry of each key written since the previous one (or, for a
 * memtable of large values, in the files of a flush the commit waits for), and recovery applies a commit's entries
 * only together with its commit record.
 */
class CommitLogTest {
    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomValue(Random random, int size) {
        byte[] v = new byte[size];
        random.nextBytes(v);
        return v;
    }

    @Test
    void aKeyOverwrittenManyTimesBetweenCommitsIsLoggedOnce() {
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 20).build();
        Random random = new Random(1);
        byte[] last = null;
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, options)) {
            for (int i = 0; i < 500; i++) {
                last = randomValue(random, 4096);
                db.put(bytes("hot"), last);
            }
            db.commit(bytes("c1"));
            long walBytes = db.statistics().walBytesWritten();
            assertTrue(walBytes < 2 * 4096, "500 overwrites of one key wrote " + walBytes + " WAL bytes");
            Path image = tmp.resolve("crashed");
            Dirs.copy(dir, image);
            try (Lamina recovered = Lamina.open(image, options)) {
                assertArrayEquals(last, recovered.get(bytes("hot")));
                assertArrayEquals(bytes("c1"), recovered.committedMetadata());
            }
        }
    }

    @Test
    void writesSinceTheLastCommitAreLostInACrashButKeptByAClose() {
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            db.put(bytes("a"), bytes("1"));
            db.commit(bytes("c1"));
            db.put(bytes("a"), bytes("2"));
            db.put(bytes("b"), bytes("2"));
            Path image = tmp.resolve("crashed");
            Dirs.copy(dir, image);
            try (Lamina recovered = Lamina.open(image, LaminaOptions.defaults())) {
                assertArrayEquals(bytes("1"), recovered.get(bytes("a")));
                assertNull(recovered.get(bytes("b")));
            }
        }
        try (Lamina reopened = Lamina.open(dir, LaminaOptions.defaults())) {
            assertArrayEquals(bytes("2"), reopened.get(bytes("a")));
            assertArrayEquals(bytes("2"), reopened.get(bytes("b")));
            assertArrayEquals(bytes("c1"), reopened.committedMetadata());
        }
    }

    @Test
    void entriesWithoutTheirCommitRecordAreDroppedAtRecovery() {
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            db.put(bytes("a"), bytes("1"));
            db.commit(bytes("c1"));
            long next = db.statistics().lastSequence() + 1;
            Path torn = tmp.resolve("torn");
            Dirs.copy(dir, torn);
            appendToLog(torn, WalRecords.encodeEntries(new long[] {next}, new WriteBatch().put(bytes("b"), bytes("9"))));
            Path whole = tmp.resolve("whole");
            Dirs.copy(dir, whole);
            appendToLog(whole, WalRecords.encodeEntries(new long[] {next}, new WriteBatch().put(bytes("b"), bytes("9"))),
                    WalRecords.encodeCommit(next, bytes("c2")));
            try (Lamina recovered = Lamina.open(torn, LaminaOptions.defaults())) {
                assertNull(recovered.get(bytes("b")));
                assertArrayEquals(bytes("c1"), recovered.committedMetadata());
            }
            try (Lamina recovered = Lamina.open(whole, LaminaOptions.defaults())) {
                assertArrayEquals(bytes("9"), recovered.get(bytes("b")));
                assertArrayEquals(bytes("c2"), recovered.committedMetadata());
                recovered.put(bytes("c"), bytes("new"));
                assertTrue(recovered.statistics().lastSequence() > next, "sequences continue after the commit");
            }
        }
    }

    @Test
    void aCommitLogsTheWritesOfAMemtableWhoseFlushHasNotLanded() {
        // Flushes fail from the switch on (their table and value-log files cannot be created), so the immutable
        // memtable stays unflushed: the commit must log its writes rather than wait. Nothing runs in the background
        // after the commit, so a copy of the directory is what a crash would leave.
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem(NioFileSystem.instance());
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 10).fileSystem(fs).build();
        Path dir = tmp.resolve("store");
        Random random = new Random(2);
        try (Lamina db = Lamina.open(dir, options)) {
            for (int i = 0; i < 300; i++) {
                db.put(bytes("key-" + i), randomValue(random, 300));
            }
            db.flush();
            fs.add((op, path, nth) -> op == FileOp.CREATE && path.toString().endsWith(".tmp"));
            // About one and a half memtables: one switch, whose flush fails in the background.
            for (int i = 300; i < 520; i++) {
                db.put(bytes("key-" + i), randomValue(random, 300));
            }
            // The flush runs in the background: wait until it has failed, so the commit meets the memtable unflushed.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (fs.injected() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(fs.injected() > 0, "the flush after the switch should have failed");
            db.commit(bytes("c1"));
            Path image = tmp.resolve("crashed");
            Dirs.copy(dir, image);
            try (Lamina recovered = Lamina.open(image, LaminaOptions.builder().writeBufferSize(64 << 10).build())) {
                for (int i = 0; i < 520; i++) {
                    assertEquals(300, recovered.get(bytes("key-" + i)).length, "key-" + i);
                }
                assertArrayEquals(bytes("c1"), recovered.committedMetadata());
            }
            fs.heal();
        }
    }

    @Test
    void aCommitWaitsForTheFlushOfAMemtableOfLargeValuesInsteadOfLoggingThem() throws Exception {
        // The first flush is held at the creation of its files, so the commit meets its memtable unflushed. Its
        // values are all bound for the value log: the commit waits for the flush rather than write them to the WAL.
        FlushGate gate = new FlushGate();
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 10).fileSystem(gate).build();
        Path dir = tmp.resolve("store");
        ExecutorService committer = Executors.newSingleThreadExecutor();
        try (Lamina db = Lamina.open(dir, options)) {
            gate.armed.set(true);
            byte[][] values = putLargeValues(db, 3);
            long walBefore = db.statistics().walBytesWritten();
            Future<?> commit = committer.submit(() -> db.commit(bytes("c1")));
            try {
                Thread.sleep(200);
                assertTrue(gate.held.get() > 0, "no flush started: the test proves nothing");
                assertFalse(commit.isDone(), "the commit returned while the flush of its values was held");
            } finally {
                gate.release.countDown(); // before the close, which waits for the flush
            }
            commit.get(30, TimeUnit.SECONDS);
            long logged = db.statistics().walBytesWritten() - walBefore;
            assertTrue(logged < 20 * 2048, "the commit logged " + logged + " bytes; the current memtable holds less "
                    + "than 20 values and the flushed one's were not to be logged");
            assertACrashNowKeeps(dir, values);
        } finally {
            gate.release.countDown();
            committer.shutdownNow();
        }
    }

    @Test
    void aFlushRecordsItsOwnMemtablesLastSequenceSoACrashLeavesNoneBeyondTheLastCommit() throws Exception {
        // The flush is held while writes go on into the next memtable. Its version edit recorded the engine's last
        // sequence, which counted those writes; the crash loses them, and the store, holding only committed data,
        // looked as if it held writes past its last commit (under exactly-once: rebuilt from the changelog).
        FlushGate gate = new FlushGate();
        Path dir = tmp.resolve("store");
        ExecutorService flusher = Executors.newSingleThreadExecutor();
        try (Lamina db = Lamina.open(dir, LaminaOptions.builder().fileSystem(gate).build())) {
            putValues(db, 10, 100, 7);
            db.commit(bytes("c1"));
            long committed = db.statistics().lastSequence();
            gate.armed.set(true);
            Future<?> flush = flusher.submit(db::flush);
            try {
                while (gate.held.get() == 0) {
                    assertFalse(flush.isDone(), "the flush ended without creating a file");
                    Thread.sleep(5);
                }
                putValues(db, 5, 100, 8); // uncommitted, into the next memtable
            } finally {
                gate.release.countDown();
            }
            flush.get(30, TimeUnit.SECONDS);
            assertEquals(committed + 5, db.statistics().lastSequence());
            Path image = tmp.resolve("crashed");
            Dirs.copy(dir, image);
            try (Lamina recovered = Lamina.open(image, LaminaOptions.defaults())) {
                assertArrayEquals(bytes("c1"), recovered.committedMetadata());
                assertEquals(committed, recovered.statistics().lastSequence(),
                        "the recovered store holds only the committed writes");
            }
        } finally {
            gate.release.countDown();
            flusher.shutdownNow();
        }
    }

    /** Holds every flush at the creation of its files, once armed, until released. */
    private static final class FlushGate extends ForwardingFileSystem {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger held = new AtomicInteger();
        final AtomicBoolean armed = new AtomicBoolean();

        FlushGate() {
            super(NioFileSystem.instance());
        }

        @Override
        public WritableFile create(Path path) {
            if (armed.get() && path.toString().endsWith(".tmp")) {
                held.incrementAndGet();
                await(release);
            }
            return super.create(path);
        }
    }

    @Test
    void aCommitLogsTheLargeValuesOfAMemtableWhoseFlushFailed() {
        // As above, but the flush fails: the commit, which would have waited for it, logs the values instead.
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem(NioFileSystem.instance());
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 10).fileSystem(fs).build();
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, options)) {
            fs.add((op, path, nth) -> op == FileOp.CREATE && path.toString().endsWith(".tmp"));
            byte[][] values = putLargeValues(db, 4);
            db.commit(bytes("c1"));
            assertTrue(fs.injected() > 0, "no flush failed: the test proves nothing");
            assertACrashNowKeeps(dir, values);
            fs.heal();
        }
    }

    @Test
    void aCommitFlushesTheMemtableInsteadOfLoggingWhenItHoldsAQuarterOfAWriteBufferOfLargeValues() {
        // 120 KiB of 2 KiB values in a 256 KiB memtable: no switch of its own, but past a quarter of the buffer.
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, LaminaOptions.builder().writeBufferSize(256 << 10).build())) {
            byte[][] values = putValues(db, 60, 2048, 5);
            CommitCost cost = commitC1(db);
            assertTrue(cost.logged() < 2048, "the commit logged " + cost.logged() + " bytes; its values were to be "
                    + "flushed");
            assertEquals(1, cost.flushes(), "the commit returned before the flush");
            assertACrashNowKeeps(dir, values);
        }
    }

    @Test
    void aCommitLogsLessThanAQuarterOfAWriteBufferOfLargeValues() {
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, LaminaOptions.builder().writeBufferSize(256 << 10).build())) {
            byte[][] values = putValues(db, 20, 2048, 6);
            CommitCost cost = commitC1(db);
            assertTrue(cost.logged() > 20 * 2048, "the values were not logged");
            assertEquals(0, cost.flushes(), "40 KiB is not worth a flush of its own");
            assertACrashNowKeeps(dir, values);
        }
    }

    @Test
    void aCommitLogsAFewKeysOfLargeValuesHoweverOftenTheyWereOverwritten() {
        // 160 KiB of 2 KiB values written, but to 4 keys: the log would write 8 KiB, not worth a flush.
        Path dir = tmp.resolve("store");
        try (Lamina db = Lamina.open(dir, LaminaOptions.builder().writeBufferSize(256 << 10).build())) {
            byte[][] values = null;
            for (int round = 0; round < 20; round++) {
                values = putValues(db, 4, 2048, round);
            }
            CommitCost cost = commitC1(db);
            assertTrue(cost.logged() > 4 * 2048 && cost.logged() < 8 * 2048, "logged " + cost.logged()
                    + " bytes, not the 4 newest");
            assertEquals(0, cost.flushes(), "8 KiB of newest values is not worth a flush");
            assertACrashNowKeeps(dir, values);
        }
    }

    /** WAL bytes written and flushes made by one commit. */
    private record CommitCost(long logged, long flushes) {
    }

    /** Commits "c1" and returns what that commit wrote to the WAL and how many flushes it waited for. */
    private static CommitCost commitC1(Lamina db) {
        long walBefore = db.statistics().walBytesWritten();
        long flushesBefore = db.statistics().flushes();
        db.commit(bytes("c1"));
        return new CommitCost(db.statistics().walBytesWritten() - walBefore, db.statistics().flushes() - flushesBefore);
    }

    /** Puts 40 values of 2 KiB (about one and a half 64 KiB memtables: one switch) and returns them. */
    private static byte[][] putLargeValues(Lamina db, long seed) {
        return putValues(db, 40, 2048, seed);
    }

    /** Puts {@code count} random values of {@code size} bytes under "key-0", "key-1", ... and returns them. */
    private static byte[][] putValues(Lamina db, int count, int size, long seed) {
        Random random = new Random(seed);
        byte[][] values = new byte[count][];
        for (int i = 0; i < values.length; i++) {
            values[i] = randomValue(random, size);
            db.put(bytes("key-" + i), values[i]);
        }
        return values;
    }

    /** A copy of the directory, as a crash would leave it now, holds {@code values} and commit "c1". */
    private void assertACrashNowKeeps(Path dir, byte[][] values) {
        Path image = tmp.resolve("crashed");
        Dirs.copy(dir, image);
        try (Lamina recovered = Lamina.open(image, LaminaOptions.builder().writeBufferSize(64 << 10).build())) {
            for (int i = 0; i < values.length; i++) {
                assertArrayEquals(values[i], recovered.get(bytes("key-" + i)), "key-" + i);
            }
            assertArrayEquals(bytes("c1"), recovered.committedMetadata());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Appends records to the newest log of a copied (crashed) store, as a crash mid-commit would leave them. */
    private static void appendToLog(Path dir, byte[]... payloads) {
        Path log;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
            log = logs.get(logs.size() - 1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Encode the records as they would continue the log (block offsets included), then append the bytes.
        Path tail = dir.resolve("tail.tmp");
        WritableFile file = NioFileSystem.instance().create(tail);
        try (LogWriter writer = new LogWriter(file, log.toFile().length())) {
            for (byte[] p : payloads) {
                writer.addRecord(p);
            }
        }
        try {
            Files.write(log, Files.readAllBytes(tail), StandardOpenOption.APPEND);
            Files.delete(tail);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
