package dev.lamina.store.fault;

/** The kinds of file-system call a fault can be injected into, counted separately. */
public enum FileOp {
    /** {@code FileSystem.create}. */
    CREATE,
    /** {@code FileSystem.openReadable}. */
    OPEN,
    /** {@code WritableFile.append}. */
    APPEND,
    /** {@code WritableFile.flush}. */
    FLUSH,
    /** {@code WritableFile.sync}. */
    SYNC,
    /** {@code ReadableFile.read}. */
    READ,
    RENAME,
    DELETE,
    /** {@code FileSystem.syncDirectory}. */
    SYNC_DIR,
    /** {@code FileSystem.list}. */
    LIST,
    /** {@code FileSystem.size} and {@code ReadableFile.size}. */
    SIZE,
    /** {@code WritableFile.close} and {@code ReadableFile.close}. */
    CLOSE
}
