package dev.lamina.store.io;

import java.nio.file.Path;

/** A file opened for positional reads. Thread-safe. */
public interface ReadableFile extends AutoCloseable {

    /**
     * Reads up to {@code length} bytes at {@code position} into {@code dst}. Returns the number read, which is
     * less than {@code length} only at the end of the file.
     */
    int read(long position, byte[] dst, int offset, int length);

    long size();

    Path path();

    @Override
    void close();
}
