package dev.lamina.store;

/** Live counters of one store. Each call reads the current value. */
public interface LaminaStatistics {

    /** Every byte the engine wrote to disk: WAL, tables, manifest, CURRENT. */
    long bytesWritten();

    /** Key and value bytes handed to put, delete and write. */
    long userBytesWritten();

    /** Bytes written to the write-ahead log. */
    long walBytesWritten();

    /** Bytes read from disk. */
    long bytesRead();

    /** {@link #bytesWritten()} / {@link #userBytesWritten()}; 0 before any write. */
    default double writeAmplification() {
        long user = userBytesWritten();
        return user == 0 ? 0 : (double) bytesWritten() / user;
    }

    /** Fsyncs of the write-ahead log (shared by concurrent commits). */
    long walSyncs();

    /** Completed {@code commit} calls. */
    long commits();

    /** Memtables written to tables. */
    long flushes();

    /** Bytes of tables written by flushes. */
    long flushBytesWritten();

    /** Compactions completed (including trivial moves). */
    long compactions();

    /** Bytes of tables read by compactions. */
    long compactionBytesRead();

    /** Bytes of tables written by compactions. */
    long compactionBytesWritten();

    /** Number of table files at a level. */
    int tableFiles(int level);

    /** Bytes of table files at a level. */
    long tableBytes(int level);

    /** Approximate heap bytes held by the mutable and immutable memtables. */
    long memtableBytes();

    /** Time writers spent waiting for a flush or compaction, in nanoseconds. */
    long stallNanos();

    long blockCacheHits();

    long blockCacheMisses();

    /** Bytes held by the block cache. */
    long blockCacheBytes();

    /** The sequence number of the last write. */
    long lastSequence();
}
