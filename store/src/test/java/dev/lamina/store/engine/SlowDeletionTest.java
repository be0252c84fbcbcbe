package dev.lamina.store.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.io.ForwardingFileSystem;
import dev.lamina.store.io.NioFileSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: obsolete files were deleted inside the flush and compaction tasks, so on a file system where an unlink
 * is slow (mounted with {@code discard}: ~100 ms per 64 MiB) the next flush queued behind them and writers stalled.
 * Deletions now run on a thread of their own: here they hang until the end, and flushes still go on.
 */
class SlowDeletionTest {
    @TempDir
    Path dir;

    @Test
    void flushesGoOnWhileDeletionsHang() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger deletesStarted = new AtomicInteger();
        ForwardingFileSystem hangingDeletes = new ForwardingFileSystem(NioFileSystem.instance()) {
            @Override
            public boolean delete(Path path) {
                if (!path.toString().endsWith(".tmp")) {
                    deletesStarted.incrementAndGet();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.delete(path);
            }
        };
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 10).fileSystem(hangingDeletes).build();
        Lamina db = Lamina.open(dir, options);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int round = 0; round < 8; round++) {
                    for (int i = 0; i < 20; i++) {
                        db.put(key(round, i), new byte[2048]);
                    }
                    db.flush();
                }
            });
            assertTrue(deletesStarted.get() > 0, "no deletion was attempted: the test proves nothing");
            assertTrue(db.statistics().flushes() >= 8, db.statistics().toString());
            assertArrayEquals(new byte[2048], db.get(key(7, 19)));
        } finally {
            release.countDown();
            db.close();
        }
    }

    private static byte[] key(int round, int i) {
        return ("key-" + round + "-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
