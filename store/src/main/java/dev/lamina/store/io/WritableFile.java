package dev.lamina.store.io;

import java.nio.file.Path;

/** A file being written from start to end. Not thread-safe for appends; {@link #sync()} may run beside them. */
public interface WritableFile extends AutoCloseable {

    /** Appends bytes. They may stay in a user-space buffer until {@link #flush()} or {@link #sync()}. */
    void append(byte[] data, int offset, int length);

    default void append(byte[] data) {
        append(data, 0, data.length);
    }

    /** Hands buffered bytes to the operating system: they then survive a crash of the process, not of the machine. */
    void flush();

    /** Flushes, then forces the file's contents to stable storage: they then survive power loss. */
    void sync();

    /** Bytes appended so far, buffered or not. */
    long size();

    Path path();

    /** Flushes and closes, without syncing. */
    @Override
    void close();
}
