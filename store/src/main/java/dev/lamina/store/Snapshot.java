package dev.lamina.store;

/**
 * A fixed point in a store's history: reads and iterators given a snapshot see exactly the writes made before it
 * was taken. Must be closed; an open snapshot keeps compaction from dropping the versions it can see.
 */
public interface Snapshot extends AutoCloseable {

    /** The sequence number of the last write the snapshot sees. */
    long sequence();

    @Override
    void close();
}
