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

    /** Time spent in flushes, in nanoseconds (writing the value log and the table, installing the version). */
    long flushNanos();

    /**
     * Full memtables compacted in memory instead of flushed: most of their entries were old versions of keys
     * overwritten since.
     */
    long memtableCompactions();

    /** Bytes of tables written by flushes. */
    long flushBytesWritten();

    /** Compactions completed (including trivial moves). */
    long compactions();

    /** Bytes of tables read by compactions. */
    long compactionBytesRead();

    /** Bytes of tables written by compactions. */
    long compactionBytesWritten();

    /** Bytes written to value-log files (separated and relocated values). */
    long vlogBytesWritten();

    /** Value-log files the current version refers to. */
    int vlogFiles();

    /** Bytes of value-log entries still referenced. */
    long vlogLiveBytes();

    /** Bytes of value-log entries whose pointers were dropped or replaced (not yet reclaimed). */
    long vlogGarbageBytes();

    /** Each live value-log file: size, entries, garbage. */
    java.util.List<dev.lamina.store.version.VlogFileState> vlogFileStates();

    /** Value-log files deleted (or kept to be written over) after their live values moved or died. */
    long vlogFilesDeleted();

    /** Value-log files written over an obsolete one instead of created afresh ({@code vlogRecycleFiles}). */
    long vlogFilesReused();

    /** Bytes of the obsolete value-log files kept to be written over. */
    long vlogKeptBytes();

    /** Values copied out of value-log files being collected. */
    long vlogValuesRelocated();

    long valueCacheHits();

    long valueCacheMisses();

    /**
     * Bytes of tables and value-log files over the bytes still live in them (value-log garbage and kept obsolete
     * value-log files count as dead; table bytes count as live): 1.0 means no waste. 0 for an empty store.
     */
    default double spaceAmplification() {
        long tables = 0;
        for (int level = 0; level < 7; level++) {
            tables += tableBytes(level);
        }
        long live = tables + vlogLiveBytes();
        return live == 0 ? 0 : (live + vlogGarbageBytes() + vlogKeptBytes()) / (double) live;
    }

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
