package dev.lamina.store;

/**
 * A cursor over the user keys of a store at a fixed point in time (the moment it was created, or its
 * {@link Snapshot}), forward and backward, in unsigned-byte key order. Not thread-safe. Must be closed: an open
 * iterator keeps the files it reads from being deleted. Closing the store closes it; using it afterwards throws
 * {@link StoreClosedException}.
 */
public interface LaminaIterator extends AutoCloseable {

    boolean isValid();

    void seekToFirst();

    void seekToLast();

    /** Positions at the first key at or after {@code key}. */
    void seek(byte[] key);

    /** Positions at the last key at or before {@code key}. */
    void seekForPrev(byte[] key);

    /** Requires {@link #isValid()}. */
    void next();

    /** Requires {@link #isValid()}. */
    void prev();

    /** The current key; requires {@link #isValid()}. */
    byte[] key();

    /** The current value; requires {@link #isValid()}. */
    byte[] value();

    @Override
    void close();
}
