package dev.lamina.store.io;

import java.nio.file.Path;
import java.util.List;

/**
 * The seam through which the engine does every file operation. The real implementation is {@link NioFileSystem};
 * tests wrap it to count bytes, inject faults or simulate power loss. Every method throws
 * {@link dev.lamina.store.LaminaIOException} (unchecked) naming the path when the operation fails.
 */
public interface FileSystem {

    /** Creates the file, truncating it if it exists, and opens it for appending. */
    WritableFile create(Path path);

    /**
     * Opens the existing file {@code path} to be written again from its start, as {@link #create} would, but without
     * truncating it first: the bytes appended overwrite the old ones in place, so the file system neither frees nor
     * allocates their blocks (on a disk mounted with {@code discard}, freeing blocks costs as much as writing them).
     * Closing the file cuts off whatever old bytes lie beyond the last one appended. The default creates the file
     * afresh, which gives the same result without the saving.
     */
    default WritableFile reuse(Path path) {
        return create(path);
    }

    /** Opens an existing file for positional reads. */
    ReadableFile openReadable(Path path);

    /** Renames {@code source} to {@code target}, atomically replacing {@code target} if it exists. */
    void rename(Path source, Path target);

    /** Deletes the file; returns false if it did not exist. */
    boolean delete(Path path);

    boolean exists(Path path);

    /** Size of the file in bytes. */
    long size(Path path);

    /** Names (not paths) of the entries of a directory, in no particular order. */
    List<String> list(Path directory);

    void createDirectories(Path directory);

    /** Forces the directory's entries (creations, renames, deletions) to stable storage. */
    void syncDirectory(Path directory);

    /**
     * Takes an exclusive lock on the file, creating it if needed. Fails with a clear message if another process,
     * or another store in this JVM, holds it.
     */
    FileLock lock(Path path);

    /** A held lock; closing releases it. */
    interface FileLock extends AutoCloseable {
        @Override
        void close();
    }
}
