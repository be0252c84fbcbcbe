package dev.lamina.store.wal;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.io.ForwardingFileSystem;
import dev.lamina.store.io.ForwardingWritableFile;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.WritableFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real file system, wrapped to count syncs, remember how many bytes of each file a sync made durable, run a
 * hook inside every file sync (to slow it down, block it or fail it), and notice a close racing a sync.
 */
final class TrackingFileSystem extends ForwardingFileSystem {
    /** Runs inside {@link WritableFile#sync()} before the real sync; may sleep, block or throw. */
    interface SyncHook {
        void beforeSync(Path file);
    }

    final AtomicInteger fileSyncs = new AtomicInteger();
    final AtomicInteger directorySyncs = new AtomicInteger();
    final AtomicBoolean closedDuringSync = new AtomicBoolean();
    private final Map<Path, Long> durableBytes = new ConcurrentHashMap<>();
    volatile SyncHook syncHook = file -> { };
    /** When set, directory syncs fail as a full or broken disk would make them. */
    volatile boolean failDirectorySyncs;

    TrackingFileSystem() {
        super(NioFileSystem.instance());
    }

    /** Bytes of {@code file} that the last completed sync covered. */
    long durableBytes(Path file) {
        return durableBytes.getOrDefault(file, 0L);
    }

    @Override
    public WritableFile create(Path path) {
        return new TrackedFile(super.create(path));
    }

    @Override
    public void syncDirectory(Path directory) {
        directorySyncs.incrementAndGet();
        if (failDirectorySyncs) {
            throw new LaminaIOException("injected directory sync failure", directory, null);
        }
        super.syncDirectory(directory);
    }

    private final class TrackedFile extends ForwardingWritableFile {
        private final AtomicInteger syncing = new AtomicInteger();

        TrackedFile(WritableFile file) {
            super(file);
        }

        @Override
        public void sync() {
            syncing.incrementAndGet();
            try {
                syncHook.beforeSync(path());
                long size = size();
                super.sync();
                fileSyncs.incrementAndGet();
                durableBytes.merge(path(), size, Math::max);
            } finally {
                syncing.decrementAndGet();
            }
        }

        @Override
        public void close() {
            if (syncing.get() > 0) {
                closedDuringSync.set(true);
            }
            super.close();
        }
    }
}
