package dev.lamina.store.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ForwardingFileSystem;
import dev.lamina.store.io.NioFileSystem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: obsolete-file cleanup read the live files before listing the directory, so a table or value-log
 * file installed in between (by a concurrent flush or compaction) looked dead and was deleted, leaving the
 * manifest pointing at a missing file (found by the crash test as "value pointer names a missing value-log file").
 */
class ObsoleteFilesRaceTest {
    @TempDir
    Path dir;

    @Test
    void aFileInstalledWhileCleanupRunsIsNotDeleted() throws InterruptedException {
        AtomicBoolean armed = new AtomicBoolean();
        Thread testThread = Thread.currentThread();
        AtomicReference<Lamina> store = new AtomicReference<>();
        CountDownLatch hookDone = new CountDownLatch(1);
        // Just before the cleanup that compactRange runs on this thread lists the directory, another thread's
        // flush installs new files.
        FileSystem fs = new ListHook(NioFileSystem.instance(), () -> {
            if (Thread.currentThread() == testThread && armed.compareAndSet(true, false)) {
                Thread flusher = new Thread(() -> {
                    store.get().put(key(1_000_000), new byte[4000]);
                    store.get().flush();
                });
                flusher.start();
                try {
                    flusher.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                hookDone.countDown();
            }
        });
        LaminaOptions options = LaminaOptions.builder().fileSystem(fs).build();
        try (Lamina db = Lamina.open(dir, options)) {
            store.set(db);
            for (int i = 0; i < 100; i++) {
                db.put(key(i), new byte[3000]);
            }
            armed.set(true);
            db.compactRange(null, null);
            assertTrue(hookDone.await(30, TimeUnit.SECONDS), "cleanup never ran");
        }
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            assertArrayEquals(new byte[4000], db.get(key(1_000_000)));
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(new byte[3000], db.get(key(i)));
            }
        }
    }

    private static byte[] key(int i) {
        return ("key-" + i).getBytes();
    }

    /** Runs a hook before every directory listing. */
    private static final class ListHook extends ForwardingFileSystem {
        private final Runnable beforeList;

        ListHook(FileSystem delegate, Runnable beforeList) {
            super(delegate);
            this.beforeList = beforeList;
        }

        @Override
        public List<String> list(Path directory) {
            beforeList.run();
            return super.list(directory);
        }
    }
}
