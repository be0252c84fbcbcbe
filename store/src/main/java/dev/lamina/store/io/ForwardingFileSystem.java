package dev.lamina.store.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A file system that hands every call to another one. Subclasses override the calls they watch or change (count
 * bytes, inject faults, model power loss) and wrap the files they return in {@link ForwardingWritableFile} and
 * {@link ForwardingReadableFile}, so that each wrapper says only what it adds. {@link #reuse} is not forwarded: it
 * creates the file afresh through this wrapper's {@link #create}, so a wrapper that watches created files sees reused
 * ones too.
 */
public class ForwardingFileSystem implements FileSystem {
    private final FileSystem delegate;

    protected ForwardingFileSystem(FileSystem delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The file system this one forwards to. */
    protected final FileSystem delegate() {
        return delegate;
    }

    @Override
    public WritableFile create(Path path) {
        return delegate.create(path);
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
        delegate.syncDirectory(directory);
    }

    @Override
    public FileLock lock(Path path) {
        return delegate.lock(path);
    }
}
