package dev.lamina.store.iter;

/**
 * A bidirectional cursor over internal entries in {@link dev.lamina.store.key.InternalKey} order. Memtables,
 * blocks, tables, levels and merges all implement it. Failures surface as unchecked exceptions
 * ({@link dev.lamina.store.CorruptionException}, {@link dev.lamina.store.LaminaIOException}).
 */
public interface InternalIterator extends AutoCloseable {

    boolean isValid();

    void seekToFirst();

    void seekToLast();

    /** Positions at the first entry whose internal key is at or after {@code internalKey}. */
    void seek(byte[] internalKey);

    /** Requires {@link #isValid()}. */
    void next();

    /** Requires {@link #isValid()}. */
    void prev();

    /** The current internal key; requires {@link #isValid()}. Callers must not modify it. */
    byte[] key();

    /** The current stored bytes; requires {@link #isValid()}. Callers must not modify them. */
    byte[] value();

    @Override
    void close();
}
