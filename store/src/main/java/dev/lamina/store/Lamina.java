package dev.lamina.store;

import dev.lamina.store.engine.Engine;
import dev.lamina.store.engine.Recovery;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An open Lamina store: an LSM tree of byte keys and values in one directory, with a write-ahead log that makes
 * every {@link #commit(byte[])} survive a crash.
 *
 * <pre>{@code
 * try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
 *     db.put(key, value);
 *     db.commit(offsets);            // survives kill -9 when it returns
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may read, write and commit at once. Keys are ordered as unsigned bytes.
 * Keys are at most {@value WriteBatch#MAX_KEY_SIZE} bytes, values at most {@value WriteBatch#MAX_VALUE_SIZE}.
 * A store directory can be open in one place at a time; a second open fails with {@link LaminaIOException}.
 */
public final class Lamina implements AutoCloseable {
    private final Engine engine;

    private Lamina(Engine engine) {
        this.engine = engine;
    }

    /**
     * Opens the store in {@code dir}, creating it if it does not exist, and recovers whatever the last run wrote:
     * every write whose log record reached the disk, and every acknowledged commit.
     *
     * @throws CorruptionException if a file fails its checks (the message names the file and offset)
     * @throws LaminaIOException if the directory is locked by another open store or I/O fails
     */
    public static Lamina open(Path dir, LaminaOptions options) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(options, "options");
        return new Lamina(Recovery.open(dir, options));
    }

    /**
     * Sets {@code key} to {@code value}. Not durable until the next {@link #commit(byte[])}. The store keeps
     * references to both arrays: do not modify them afterwards.
     */
    public void put(byte[] key, byte[] value) {
        engine.write(new WriteBatch().put(key, value));
    }

    /** Removes {@code key} (no error if absent). */
    public void delete(byte[] key) {
        engine.write(new WriteBatch().delete(key));
    }

    /** Applies every operation of the batch atomically, also across a crash. */
    public void write(WriteBatch batch) {
        Objects.requireNonNull(batch, "batch");
        engine.write(batch);
    }

    /**
     * Applies a batch without writing it to the write-ahead log: for restoring state from a log kept elsewhere,
     * such as a Kafka changelog, at memtable speed. It is not durable and survives no crash until the next
     * {@link #commit(byte[])}, which first writes it to a table.
     */
    public void writeWithoutLog(WriteBatch batch) {
        Objects.requireNonNull(batch, "batch");
        engine.writeWithoutLog(batch);
    }

    /** Estimated number of keys (entries in memtables and tables; overwritten and deleted keys still count). */
    public long estimateNumKeys() {
        return engine.estimateNumKeys();
    }

    /** The value of {@code key}, or null when absent. */
    public byte[] get(byte[] key) {
        WriteBatch.checkKey(key);
        return engine.get(key, null);
    }

    /** The value of {@code key} as of {@code snapshot}, or null when absent then. */
    public byte[] get(Snapshot snapshot, byte[] key) {
        Objects.requireNonNull(snapshot, "snapshot");
        WriteBatch.checkKey(key);
        return engine.get(key, snapshot);
    }

    /** A snapshot of the store as of now; close it when done. */
    public Snapshot getSnapshot() {
        return engine.getSnapshot();
    }

    /** An iterator over the store as of now; close it when done. */
    public LaminaIterator newIterator() {
        return engine.newIterator(null);
    }

    /** An iterator over the store as of {@code snapshot}; close it when done. */
    public LaminaIterator newIterator(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        return engine.newIterator(snapshot);
    }

    /**
     * Records {@code metadata} (opaque bytes, such as changelog offsets) together with every write made before this
     * call. When it returns they survive a crash of the process. A power loss keeps them under
     * {@link CommitSync#ALWAYS} (the commit waits for its fsync; concurrent commits share one); under
     * {@link CommitSync#INTERVAL}, the default, once the background sync has run, and until then it brings the
     * store back at an earlier commit, whole. See {@link LaminaOptions#commitSync()}.
     */
    public void commit(byte[] metadata) {
        Objects.requireNonNull(metadata, "metadata must not be null");
        engine.commit(metadata);
    }

    /** The metadata of the latest durable commit, or null if there has been none. */
    public byte[] committedMetadata() {
        return engine.committedMetadata();
    }

    /** Writes the memtable to a table and returns once the table is installed. */
    public void flush() {
        engine.flush();
    }

    /**
     * Flushes the memtable, then compacts every table holding keys in [{@code from}, {@code to}] (null bounds are
     * open) down to the deepest level, dropping overwritten versions no snapshot sees and deletions; returns when
     * done.
     */
    public void compactRange(byte[] from, byte[] to) {
        engine.compactRange(from, to);
    }

    /** Live statistics of this store. */
    public LaminaStatistics statistics() {
        return engine.statistics();
    }

    /** The directory this store lives in. */
    public Path directory() {
        return engine.directory();
    }

    public boolean isClosed() {
        return engine.isClosed();
    }

    /**
     * Closes the store: closes open iterators, finishes a running flush, syncs the write-ahead log and releases the
     * directory. Writes not yet flushed are recovered from the log on the next open. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }
}
