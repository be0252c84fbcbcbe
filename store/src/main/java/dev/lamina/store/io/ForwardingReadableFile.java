package dev.lamina.store.io;

import java.nio.file.Path;
import java.util.Objects;

/** A readable file that hands every call to another one; the base of wrappers that watch or change some calls. */
public class ForwardingReadableFile implements ReadableFile {
    private final ReadableFile delegate;

    protected ForwardingReadableFile(ReadableFile delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The file this one forwards to. */
    protected final ReadableFile delegate() {
        return delegate;
    }

    @Override
    public int read(long position, byte[] dst, int offset, int length) {
        return delegate.read(position, dst, offset, length);
    }

    @Override
    public long size() {
        return delegate.size();
    }

    @Override
    public Path path() {
        return delegate.path();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
