package dev.lamina.store.io;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Wraps a file system and counts the bytes written and read through it: the engine's I/O statistics. */
public final class CountingFileSystem implements FileSystem {
    private final FileSystem delegate;
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();

    public CountingFileSystem(FileSystem delegate) {
        this.delegate = delegate;
    }

    public long bytesWritten() {
        return bytesWritten.sum();
    }

    public long bytesRead() {
        return bytesRead.sum();
    }

    @Override
    public WritableFile create(Path path) {
        WritableFile file = delegate.create(path);
        return new WritableFile() {
            @Override
            public void append(byte[] data, int offset, int length) {
                file.append(data, offset, length);
                bytesWritten.add(length);
            }

            @Override
            public void flush() {
                file.flush();
            }

            @Override
            public void sync() {
                file.sync();
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
                file.close();
            }
        };
    }

    @Override
    public ReadableFile openReadable(Path path) {
        ReadableFile file = delegate.openReadable(path);
        return new ReadableFile() {
            @Override
            public int read(long position, byte[] dst, int offset, int length) {
                int n = file.read(position, dst, offset, length);
                bytesRead.add(n);
                return n;
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
                file.close();
            }
        };
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
        delegate.syncDirectory(directory);
    }

    @Override
    public FileLock lock(Path path) {
        return delegate.lock(path);
    }
}
