package dev.lamina.store;

/**
 * When a {@linkplain Lamina#commit commit} reaches stable storage. Either way, when {@code commit} returns its data
 * and metadata have been handed to the operating system and survive a crash of the process ({@code kill -9}).
 */
public enum CommitSync {
    /**
     * Each commit waits for its fsync: a power loss keeps the last commit that returned. Concurrent commits share
     * one fsync.
     */
    ALWAYS,
    /**
     * Commits do not wait for the disk: a background task syncs the write-ahead log every
     * {@linkplain LaminaOptions#commitSyncIntervalMillis() interval}. A power loss brings the store back at an
     * earlier commit that is complete and consistent (never torn, never with metadata ahead of its data); the
     * commits of the last interval may be lost, as with PostgreSQL's {@code synchronous_commit=off}. Meant for
     * stores whose writes a log elsewhere can replay, as Kafka's changelog does for a Kafka Streams store.
     */
    INTERVAL
}
