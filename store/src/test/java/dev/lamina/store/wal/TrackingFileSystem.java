package dev.lamina.store.wal;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.io.WritableFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real file system, wrapped to count syncs, remember how many bytes of each file a sync made durable, run a
 * hook inside every file sync (to slow it down, block it or fail it), and notice a close racing a sync.
 */
final class TrackingFileSystem implements FileSystem {
    /** Runs inside {@link WritableFile#sync()} before the real sync; may sleep, block or throw. */
    interface SyncHook {
        void beforeSync(Path file);
    }

    private final FileSystem delegate = NioFileSystem.instance();
    final AtomicInteger fileSyncs = new AtomicInteger();
    final AtomicInteger directorySyncs = new AtomicInteger();
    final AtomicBoolean closedDuringSync = new AtomicBoolean();
    private final Map<Path, Long> durableBytes = new ConcurrentHashMap<>();
    volatile SyncHook syncHook = file -> { };
    /** When set, directory syncs fail as a full or broken disk would make them. */
    volatile boolean failDirectorySyncs;

    /** Bytes of {@code file} that the last completed sync covered. */
    long durableBytes(Path file) {
        return durableBytes.getOrDefault(file, 0L);
    }

    @Override
    public WritableFile create(Path path) {
        return new TrackedFile(delegate.create(path));
    }

    private final class TrackedFile implements WritableFile {
        private final WritableFile file;
        private final AtomicInteger syncing = new AtomicInteger();

        TrackedFile(WritableFile file) {
            this.file = file;
        }

        @Override
        public void append(byte[] data, int offset, int length) {
            file.append(data, offset, length);
        }

        @Override
        public void flush() {
            file.flush();
        }

        @Override
        public void sync() {
            syncing.incrementAndGet();
            try {
                syncHook.beforeSync(file.path());
                long size = file.size();
                file.sync();
                fileSyncs.incrementAndGet();
                durableBytes.merge(file.path(), size, Math::max);
            } finally {
                syncing.decrementAndGet();
            }
        }

        @Override
        public long size() {
            return file.size();
        }

        @Override
        public Path path() {
            return file.path();
        }

        @Override
        public void close() {
            if (syncing.get() > 0) {
                closedDuringSync.set(true);
            }
            file.close();
        }
    }

    @Override
    public ReadableFile openReadable(Path path) {
        return delegate.openReadable(path);
    }

    @Override
    public void rename(Path source, Path target) {
        delegate.rename(source, target);
    }

    @Override
    public boolean delete(Path path) {
        return delegate.delete(path);
    }

    @Override
    public boolean exists(Path path) {
        return delegate.exists(path);
    }

    @Override
    public long size(Path path) {
        return delegate.size(path);
    }

    @Override
    public List<String> list(Path directory) {
        return delegate.list(directory);
    }

    @Override
    public void createDirectories(Path directory) {
        delegate.createDirectories(directory);
    }

    @Override
    public void syncDirectory(Path directory) {
        directorySyncs.incrementAndGet();
        if (failDirectorySyncs) {
            throw new LaminaIOException("injected directory sync failure", directory, null);
        }
        delegate.syncDirectory(directory);
    }

    @Override
    public FileLock lock(Path path) {
        return delegate.lock(path);
    }
}
