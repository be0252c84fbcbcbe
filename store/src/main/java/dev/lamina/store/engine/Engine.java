package dev.lamina.store.engine;

import dev.lamina.store.CommitSync;
import dev.lamina.store.LaminaException;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.LaminaIterator;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.Snapshot;
import dev.lamina.store.StoreClosedException;
import dev.lamina.store.WriteBatch;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.cache.MemoryBudget;
import dev.lamina.store.compaction.BackgroundPool;
import dev.lamina.store.io.CountingFileSystem;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.table.TableCache;
import dev.lamina.store.version.Version;
import dev.lamina.store.version.VersionSet;
import dev.lamina.store.vlog.RecycledVlogFiles;
import dev.lamina.store.vlog.ValueLog;
import dev.lamina.store.wal.WriteAheadLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link dev.lamina.store.Lamina}: the write path (WAL, memtable, switch), the read path
 * (memtables, then tables), commits with group fsync, background flushes, and shutdown. {@link Recovery} builds it.
 *
 * <p>Locking: {@code writeLock} serializes writers and memtable switches; {@code logLock}, taken after it, serializes
 * appends to the log with its rotation; {@code flushMonitor} guards the hand-over
 * of the immutable memtable and wakes writers waiting for a flush. Readers take no lock: they read the volatile
 * {@link ReadState} and pin its version.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** When the memory budget is full, memtables at least this big are flushed early; smaller ones would only make
     * tiny tables. */
    private static final long MIN_BUDGET_FLUSH = 64 << 10;
    /** The memtable is flushed when its WAL file reaches this many times the write buffer size. */
    private static final long MAX_WAL_FILE_FACTOR = 4;

    final Path dir;
    final LaminaOptions options;
    final CountingFileSystem fs;
    final VersionSet versions;
    final BlockCache blockCache;
    final TableCache tables;
    final Set<Long> pendingOutputs = ConcurrentHashMap.newKeySet();
    final TableWriter tableWriter;
    final ValueLog valueLog;
    final RecycledVlogFiles recycledVlogs;
    final EngineStatistics stats;
    /** This store's share of a memory budget, or null. */
    private final MemoryBudget.Account budget;
    private final FileSystem.FileLock lock;
    /** Serializes writers, memtable switches and the commit's passes. */
    final ReentrantLock writeLock = new ReentrantLock();
    /** Serializes appends to the log with its rotation: commits, log-ahead tasks and switches (after writeLock). */
    final ReentrantLock logLock = new ReentrantLock();
    /** Guards the immutable memtable's hand-over; writers waiting for background work wait on it. */
    final Object flushMonitor = new Object();
    private final ReadPath reads;
    final ImmutableFlush immutableFlush;
    final BackgroundWork background;
    private final Compactor compactor;
    private final ObsoleteFiles obsoleteFiles;
    private volatile ReadState state;
    private volatile long lastSequence;
    private volatile boolean closed;
    private volatile WriteAheadLog wal;
    /** A WAL write or sync failed: the log's tail is unknown, so writes are refused until the store is reopened. */
    private volatile RuntimeException writeFailure;
    /**
     * The mutable memtable and what a commit must do for its writes (guarded by writeLock). The immutable ones wait
     * in {@link ImmutableFlush}'s queue, oldest first.
     */
    private MemtableEntry mutable;
    private final MemTableCompaction memTableCompaction = new MemTableCompaction();
    private final WriteThrottle throttle = new WriteThrottle();
    /** The commits; set when recovery starts the engine. */
    private volatile CommitPipeline commits;
    /** Under {@link CommitSync#INTERVAL}: the periodic background sync of the WAL, or null. */
    private volatile ScheduledFuture<?> periodicSync;

    Engine(Path dir, LaminaOptions options, CountingFileSystem fs, FileSystem.FileLock lock, VersionSet versions,
            BlockCache blockCache, TableCache tables, MemoryBudget.Account budget) {
        this.dir = dir;
        this.options = options;
        this.fs = fs;
        this.lock = lock;
        this.versions = versions;
        this.blockCache = blockCache;
        this.tables = tables;
        this.budget = budget;
        this.tableWriter = new TableWriter(fs, dir, options, pendingOutputs);
        this.valueLog = new ValueLog(fs, dir, blockCache, budget == null ? 0 : budget.cachePartition(),
                options.vlogChecksum());
        this.recycledVlogs = new RecycledVlogFiles(fs, dir, options.vlogRecycleFiles());
        this.stats = new EngineStatistics(this);
        this.obsoleteFiles = new ObsoleteFiles(this);
        this.background = new BackgroundWork(dir.toString());
        this.compactor = new Compactor(this);
        this.reads = new ReadPath(this);
        this.immutableFlush = new ImmutableFlush(this);
    }

    /** Called by {@link Recovery} once the store's state is rebuilt. */
    void start(WriteAheadLog wal, long lastSequence, byte[] committedMetadata) {
        this.wal = wal;
        this.lastSequence = lastSequence;
        this.commits = new CommitPipeline(new EngineCommitEnv(this), options.commitSync(), dir.toString(),
                committedMetadata, CommitPipeline.logAheadBytes(options.writeBufferSize()));
        this.mutable = MemtableEntry.empty(options);
        publish(mutable.mem, List.of(), versions.pinCurrent());
        if (options.commitSync() == CommitSync.INTERVAL) {
            periodicSync = BackgroundPool.every(options.commitSyncIntervalMillis(), this::syncLogInBackground);
        }
    }

    /**
     * Under {@link CommitSync#INTERVAL}: makes every commit handed to the OS so far durable. A failed sync latches
     * the store's write failure, as a failed commit sync does: the next write or commit reports it.
     */
    private void syncLogInBackground() {
        WriteAheadLog w = wal;
        if (closed || writeFailure != null) {
            return;
        }
        try {
            w.syncAll();
        } catch (StoreClosedException e) {
            // closing: close makes the log durable itself
        } catch (RuntimeException e) {
            if (!closed) {
                refuseWrites("background sync of the write-ahead log failed", e);
            }
        }
    }

    /** Starts background work; called once open has removed what a crash left behind (temp files included). */
    void startBackgroundWork() {
        compactor.maybeSchedule();
    }

    /** Swaps in a new read state. It holds a pin on its version, so readers can always pin the one they see. */
    private void publish(MemTable mem, List<MemTable> imms, Version pinnedVersion) {
        synchronized (flushMonitor) {
            ReadState old = state;
            state = new ReadState(mem, imms, pinnedVersion);
            if (old != null) {
                old.version().unref();
            }
        }
    }

    // ---- writes ----------------------------------------------------------------------------------------------

    public void write(WriteBatch batch) {
        write(batch, true);
    }

    /**
     * Applies a batch to the memtable without its keys being logged at the next commit: for restoring from a log
     * kept elsewhere (a Kafka changelog). The next {@link #commit} flushes it into a table instead.
     */
    public void writeWithoutLog(WriteBatch batch) {
        write(batch, false);
    }

    private void write(WriteBatch batch, boolean logged) {
        checkOpen();
        if (batch.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            checkWritable();
            makeRoomForWrite(false, batch.approximateSize());
            long first = lastSequence + 1;
            MemtableEntry entry = mutable;
            if (!logged) {
                entry.restored();
            }
            MemTable mem = entry.mem;
            long[] next = {first};
            batch.forEach(new WriteBatch.Handler() {
                @Override
                public void put(byte[] key, byte[] value) {
                    // Not copied (WriteBatch's contract: the caller leaves the arrays alone): Kafka's serializers hand
                    // every value over in a fresh array, and a copy would be a second pass over every large value.
                    mem.add(next[0]++, ValueKind.VALUE, key, value, logged);
                }

                @Override
                public void delete(byte[] key) {
                    mem.add(next[0]++, ValueKind.DELETION, key, null, logged);
                }
            });
            lastSequence = next[0] - 1;
            stats.recordWrite(batch.approximateSize());
            if (logged) {
                commits.afterWrite(batch.approximateSize());
            }
        } finally {
            writeLock.unlock();
        }
        reportMemtableBytes();
    }

    private void reportMemtableBytes() {
        if (budget != null) {
            budget.update(stats.memtableBytes());
        }
    }

    /** Asked by the memory budget: flush the memtable soon, without blocking the asking thread. */
    void requestFlush() {
        background.submit(BackgroundPool.Priority.FLUSH, () -> {
            writeLock.lock();
            try {
                ReadState s = state;
                if (!closed && writeFailure == null && s.imms().isEmpty() && !s.mem().isEmpty()) {
                    switchMemtable();
                }
            } finally {
                writeLock.unlock();
            }
        });
    }

    /**
     * Makes the memtable writable for a write of about {@code bytes}: switches it when full (or when forced and
     * non-empty). Holds writeLock.
     */
    void makeRoomForWrite(boolean force, long bytes) {
        boolean allowDelay = !force;
        while (true) {
            ReadState s = state;
            int level0 = s.version().fileCount(0);
            if (allowDelay && level0 >= options.level0SlowdownTrigger()) {
                // Level 0 is filling faster than compaction drains it: slow writers down (WriteThrottle).
                long delay = throttle.delayNanos(bytes);
                if (delay > 0) {
                    long start = System.nanoTime();
                    WriteThrottle.sleep(delay);
                    stats.recordStall(System.nanoTime() - start);
                }
                allowDelay = false;
                continue;
            }
            boolean memFull = s.mem().memoryUsage() >= options.writeBufferSize()
                    || (budget != null && s.mem().memoryUsage() >= MIN_BUDGET_FLUSH && budget.memtablesOverLimit());
            // Commits log into the current WAL file until the memtable is flushed: bound what a reopen replays.
            boolean walFull = wal.currentFileSize() >= MAX_WAL_FILE_FACTOR * options.writeBufferSize();
            if (!(force ? !s.mem().isEmpty() : memFull || walFull)) {
                return;
            }
            if (!force && !walFull && compactMemtableInPlace(s)) {
                return;
            }
            if (s.imms().size() >= options.maxImmutableMemtables()) {
                immutableFlush.awaitFewerThan(options.maxImmutableMemtables());
                continue;
            }
            // Each memtable waiting for its flush becomes a level-0 table: count them, so level 0 stays below the
            // stop trigger however many flushes are in flight.
            if (level0 + s.imms().size() >= options.level0StopTrigger()) {
                compactor.awaitLevel0BelowStopTrigger();
                continue;
            }
            switchMemtable();
            return;
        }
    }

    /** Replaces a full memtable by its compacted copy if that frees enough; see {@link MemTableCompaction}. */
    private boolean compactMemtableInPlace(ReadState s) {
        MemTable compacted = memTableCompaction.tryCompact(s.mem(), snapshotSequences());
        if (compacted == null) {
            return false;
        }
        synchronized (flushMonitor) {
            ReadState current = state;
            current.version().tryRef();
            mutable = mutable.withMemtable(compacted, options);
            publish(compacted, current.imms(), current.version());
        }
        stats.recordMemtableCompaction();
        reportMemtableBytes();
        return true;
    }

    /** Wakes writers waiting on background work (a flush or compaction finished, or failed). */
    void signalBackgroundProgress() {
        synchronized (flushMonitor) {
            flushMonitor.notifyAll();
        }
    }

    /** Publishes the state after a flush: without the flushed memtable, with the version holding its table. Holds
     * flushMonitor. */
    void publishFlushed(MemTable flushed) {
        List<MemTable> imms = new ArrayList<>(state.imms());
        imms.remove(flushed);
        publish(state.mem(), List.copyOf(imms), versions.pinCurrent());
    }

    /** After a flush is installed: report memory, delete what it made obsolete, maybe compact. */
    void onFlushed() {
        reportMemtableBytes();
        obsoleteFiles.deleteSoon();
        compactor.maybeSchedule();
    }

    /** Publishes the current version for readers (after a compaction changed it). */
    void publishCurrentVersion() {
        synchronized (flushMonitor) {
            publish(state.mem(), state.imms(), versions.pinCurrent());
        }
    }

    /** The sequences of the open snapshots, for deciding which old versions a rewrite may drop. */
    long[] snapshotSequences() {
        return reads.snapshotSequences();
    }

    void switchMemtable() {
        long newLog = versions.newFileNumber();
        logLock.lock();
        try {
            wal.rotate(newLog);
        } catch (RuntimeException e) {
            throw refuseWrites("write-ahead log rotation failed", e);
        } finally {
            logLock.unlock();
        }
        synchronized (flushMonitor) {
            ReadState s = state;
            // Its unlogged writes become durable with its flush, or with the next commit if that comes first.
            MemtableEntry switched = mutable;
            switched.switched(newLog, commits.lastAppendedCommit());
            mutable = MemtableEntry.empty(options);
            List<MemTable> imms = new ArrayList<>(s.imms());
            imms.add(switched.mem);
            s.version().tryRef();
            publish(mutable.mem, List.copyOf(imms), s.version());
            immutableFlush.handOver(switched);
        }
    }

    /** Flushes the memtable to a table and returns once it is installed. */
    public void flush() {
        checkOpen();
        long target;
        writeLock.lock();
        try {
            checkWritable();
            makeRoomForWrite(true, 0);
            target = immutableFlush.scheduledCount();
        } finally {
            writeLock.unlock();
        }
        immutableFlush.awaitDone(target);
    }

    /**
     * Flushes the memtable, then compacts every table overlapping [{@code from}, {@code to}] (null bounds are open)
     * down to the deepest level; returns when done.
     */
    public void compactRange(byte[] from, byte[] to) {
        flush();
        compactor.compactRange(from, to);
        checkOpen();
    }

    /**
     * Logs the newest entry of every key written since the last commit, then a commit record, and returns once
     * they and every earlier write are handed to the operating system ({@link CommitSync#INTERVAL}) or on stable
     * storage ({@link CommitSync#ALWAYS}); see {@link CommitPipeline}.
     */
    public void commit(byte[] metadata) {
        checkOpen();
        commits.commit(metadata);
        stats.recordCommit();
    }

    public byte[] committedMetadata() {
        checkOpen();
        return commits.committedMetadata();
    }

    RuntimeException refuseWrites(String what, RuntimeException cause) {
        writeFailure = cause;
        LOG.error("{} for {}; refusing writes until the store is reopened", what, dir, cause);
        return cause instanceof LaminaException ? cause : new LaminaIOException(what, dir, cause);
    }

    void checkWritable() {
        RuntimeException failure = writeFailure;
        if (failure != null) {
            throw new LaminaIOException("store refuses writes after an earlier I/O failure; reopen it", dir, failure);
        }
    }

    // ---- reads (see ReadPath) --------------------------------------------------------------------------------

    public byte[] get(byte[] key, Snapshot snapshot) {
        return reads.get(key, snapshot);
    }

    public LaminaIterator newIterator(Snapshot snapshot) {
        return reads.newIterator(snapshot);
    }

    /** Estimated number of live keys: entries in memtables and tables, overwrites and deletions not subtracted. */
    public long estimateNumKeys() {
        return reads.estimateNumKeys();
    }

    public Snapshot getSnapshot() {
        // Under the write lock: a memtable compaction must see every snapshot taken at a sequence it could drop.
        writeLock.lock();
        try {
            return reads.getSnapshot();
        } finally {
            writeLock.unlock();
        }
    }

    // ---- state for statistics and cleanup ---------------------------------------------------------------------

    ReadState readState() {
        return state;
    }

    /** The mutable memtable's entry (write lock). */
    MemtableEntry mutable() {
        return mutable;
    }

    long lastSequence() {
        return lastSequence;
    }

    /** The write-ahead log; null until recovery has started the engine. */
    WriteAheadLog wal() {
        return wal;
    }

    /** This store's share of a memory budget, or null. */
    MemoryBudget.Account budget() {
        return budget;
    }

    long currentLogNumber() {
        WriteAheadLog w = wal;
        return w == null ? Long.MAX_VALUE : w.logNumber();
    }

    public EngineStatistics statistics() {
        return stats;
    }

    /** Called when a version is released by its last reader: its files may now be deletable. */
    void onVersionReleased() {
        if (!closed && obsoleteFiles != null) {
            obsoleteFiles.deleteSoon();
        }
    }

    ObsoleteFiles obsoleteFiles() {
        return obsoleteFiles;
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    public Path directory() {
        return dir;
    }

    public boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    StoreClosedException closedError() {
        return new StoreClosedException("store " + dir + " is closed");
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            flushUncommitted();
            immutableFlush.awaitQuietly(30_000, () -> writeFailure != null);
            closed = true;
        }
        reads.closeIterators();
        synchronized (flushMonitor) {
            flushMonitor.notifyAll();
        }
        writeLock.lock();
        try {
            background.closeAndAwait(60_000);
            if (writeFailure == null && wal != null) {
                try {
                    wal.syncTo(commits.lastAppendPosition());
                } catch (RuntimeException e) {
                    LOG.warn("Final sync of the write-ahead log of {} failed", dir, e);
                }
            }
            // Deletion passes are queued (ObsoleteFiles.deleteSoon) and skipped once closed: do the last one here.
            obsoleteFiles.delete(false);
        } finally {
            writeLock.unlock();
            closeResources();
        }
    }

    /** A clean close keeps writes made since the last commit (only a crash may lose them): into a table. */
    private void flushUncommitted() {
        if (writeFailure != null) {
            return;
        }
        writeLock.lock();
        try {
            if (!mutable.holdsWritesOnlyInMemory()) {
                return;
            }
        } finally {
            writeLock.unlock();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Closing {} without its writes since the last commit: their flush failed", dir, e);
        }
    }

    /** Releases files and the lock; also used when open fails half-way. */
    void closeResources() {
        if (periodicSync != null) {
            periodicSync.cancel(false);
        }
        background.closeAndAwait(60_000);
        closeQuietly(budget);
        closeQuietly(wal);
        closeQuietly(versions);
        closeQuietly(tables);
        closeQuietly(valueLog);
        closeQuietly(lock);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed", c, e);
        }
    }
}
