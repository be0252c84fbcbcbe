package dev.lamina.store.io;

import java.nio.file.Path;
import java.util.Objects;

/** A writable file that hands every call to another one; the base of wrappers that watch or change some calls. */
public class ForwardingWritableFile implements WritableFile {
    private final WritableFile delegate;

    protected ForwardingWritableFile(WritableFile delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The file this one forwards to. */
    protected final WritableFile delegate() {
        return delegate;
    }

    @Override
    public void append(byte[] data, int offset, int length) {
        delegate.append(data, offset, length);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void sync() {
        delegate.sync();
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
