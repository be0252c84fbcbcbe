package dev.lamina.store.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.LaminaIterator;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ForwardingFileSystem;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.WritableFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two immutable memtables flushed at once: the younger one's flush may finish first, or keep its table while the
 * older one's is written again after a failure under a higher number; it is installed after the older one and its
 * table sorts after it in level 0, which orders tables by their sequences. Regression: level 0 once ordered tables by
 * number, and a flush that overtook an older one returned the older value of a key (found by PowerLossTest as a
 * point read and a scan disagreeing).
 */
class ConcurrentFlushTest {
    private static final byte[] KEY = "the-key".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void aYoungerFlushThatFinishesFirstStillShadowsTheOlderOne() {
        AtomicBoolean delayNextValueLog = new AtomicBoolean();
        // The older memtable's flush stalls as it creates its value-log file; the younger one's runs meanwhile.
        ForwardingFileSystem slowFirstFlush = new ForwardingFileSystem(NioFileSystem.instance()) {
            @Override
            public WritableFile create(Path path) {
                if (path.toString().endsWith(".vlog.tmp") && delayNextValueLog.compareAndSet(true, false)) {
                    sleep(500);
                }
                return super.create(path);
            }
        };
        LaminaOptions options = twoImmutableMemtables(slowFirstFlush);
        try (Lamina db = Lamina.open(dir, options)) {
            delayNextValueLog.set(true);
            fillMemtable(db, 1);
            fillMemtable(db, 2);
            db.flush();
            assertTrue(db.statistics().flushes() >= 2, db.statistics().toString());
            assertArrayEquals(value(2), db.get(KEY), "point read");
            try (LaminaIterator it = db.newIterator()) {
                it.seek(KEY);
                assertArrayEquals(value(2), it.value(), "scan");
            }
        }
        assertNewestValueAfterReopen();
    }

    /**
     * The older flush fails after the younger one is written: the younger one keeps its table (with the lower number)
     * and is installed once the older one's retry is. Regression: the younger one was once dropped to be written
     * again after the retry, but nothing queued it again, so a flush waiting for both waited for ever.
     */
    @Test
    void aYoungerFlushWrittenBeforeAnOlderOneFailedKeepsItsTable() {
        AtomicBoolean failNextValueLog = new AtomicBoolean();
        // The older memtable's flush fails a while after it starts; the younger one's is written meanwhile.
        ForwardingFileSystem failFirstFlushLate = new ForwardingFileSystem(NioFileSystem.instance()) {
            @Override
            public WritableFile create(Path path) {
                if (path.toString().endsWith(".vlog.tmp") && failNextValueLog.compareAndSet(true, false)) {
                    sleep(500);
                    throw new LaminaIOException("injected create failure", path, null);
                }
                return super.create(path);
            }
        };
        LaminaOptions options = twoImmutableMemtables(failFirstFlushLate);
        // The close flushes too: it would hang as well, so it is inside the timeout.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Lamina db = Lamina.open(dir, options)) {
                failNextValueLog.set(true);
                fillMemtable(db, 1);
                fillMemtable(db, 2);
                assertThrows(LaminaIOException.class, db::flush);
                db.flush();
                assertArrayEquals(value(2), db.get(KEY));
            }
        });
        assertNewestValueAfterReopen();
    }

    /**
     * Regression (found by IoFaultTest under -Pstress as an acknowledged commit lost): the younger flush failed
     * while the older one was still writing; its retry started at once and took a table number below the one the
     * older flush took when it was written again, so level 0 put the older memtable's values in front.
     */
    @Test
    void aYoungerFlushRetriedWhileAnOlderOneRunsStillSortsAfterIt() {
        AtomicBoolean delayFirstValueLog = new AtomicBoolean(true);
        AtomicBoolean failFirstTable = new AtomicBoolean();
        ForwardingFileSystem fs = new ForwardingFileSystem(NioFileSystem.instance()) {
            @Override
            public WritableFile create(Path path) {
                if (path.toString().endsWith(".vlog.tmp") && failFirstTable.get()
                        && delayFirstValueLog.compareAndSet(true, false)) {
                    sleep(500); // the older flush is still writing when the younger one fails
                }
                if (path.toString().endsWith(".sst.tmp") && failFirstTable.compareAndSet(true, false)) {
                    throw new LaminaIOException("injected create failure", path, null);
                }
                return super.create(path);
            }
        };
        LaminaOptions options = twoImmutableMemtables(fs);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Lamina db = Lamina.open(dir, options)) {
                failFirstTable.set(true);
                fillMemtable(db, 1);
                fillMemtable(db, 2);
                assertThrows(LaminaIOException.class, db::flush);
                db.flush();
                assertArrayEquals(value(2), db.get(KEY), "point read");
            }
        });
        assertNewestValueAfterReopen();
    }

    private static LaminaOptions twoImmutableMemtables(FileSystem fs) {
        return LaminaOptions.builder().writeBufferSize(64 << 10).maxImmutableMemtables(2).fileSystem(fs).build();
    }

    private void assertNewestValueAfterReopen() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.builder().writeBufferSize(64 << 10).build())) {
            assertArrayEquals(value(2), db.get(KEY), "point read after reopen");
        }
    }

    /** Writes the key with {@code round}'s value, then distinct keys until the memtable switches. */
    private static void fillMemtable(Lamina db, int round) {
        db.put(KEY, value(round));
        for (int i = 0; i < 20; i++) {
            db.put(("filler-" + round + "-" + i).getBytes(StandardCharsets.UTF_8), new byte[4096]);
        }
    }

    private static byte[] value(int round) {
        byte[] v = new byte[2048];
        v[0] = (byte) round;
        return v;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
