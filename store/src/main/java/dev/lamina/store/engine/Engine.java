package dev.lamina.store.engine;

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
import dev.lamina.store.compaction.ShadowedEntryFilter;
import dev.lamina.store.io.CountingFileSystem;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.table.TableCache;
import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.Version;
import dev.lamina.store.version.VersionEdit;
import dev.lamina.store.version.VersionSet;
import dev.lamina.store.vlog.ValueLog;
import dev.lamina.store.wal.WalRecords;
import dev.lamina.store.wal.WriteAheadLog;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link dev.lamina.store.Lamina}: the write path (WAL, memtable, switch), the read path
 * (memtables, then tables), commits with group fsync, background flushes, and shutdown. {@link Recovery} builds it.
 *
 * <p>Locking: {@code writeLock} serializes writers and memtable switches; {@code flushMonitor} guards the hand-over
 * of the immutable memtable and wakes writers waiting for a flush. Readers take no lock: they read the volatile
 * {@link ReadState} and pin its version.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** When the memory budget is full, memtables at least this big are flushed early; smaller ones would only make
     * tiny tables. */
    private static final long MIN_BUDGET_FLUSH = 64 << 10;

    final Path dir;
    final LaminaOptions options;
    final CountingFileSystem fs;
    final VersionSet versions;
    final BlockCache blockCache;
    final TableCache tables;
    final Set<Long> pendingOutputs = ConcurrentHashMap.newKeySet();
    final TableWriter tableWriter;
    final ValueLog valueLog;
    final EngineStatistics stats;
    /** This store's share of a memory budget, or null. */
    private final MemoryBudget.Account budget;
    private final FileSystem.FileLock lock;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Guards the immutable memtable's hand-over; writers waiting for background work wait on it. */
    final Object flushMonitor = new Object();
    private final ReadPath reads;
    final BackgroundWork background;
    private final Compactor compactor;
    private final ObsoleteFiles obsoleteFiles;
    private volatile ReadState state;
    private volatile long lastSequence;
    private volatile boolean closed;
    private volatile WriteAheadLog wal;
    /** A WAL write or sync failed: the log's tail is unknown, so writes are refused until the store is reopened. */
    private volatile RuntimeException writeFailure;
    /** The last flush failed; the next writer that needs room retries it. */
    private volatile RuntimeException flushFailure;
    private long immLogNumber;
    private byte[] immCommittedMetadata;
    private byte[] lastAppendedCommit;
    /** Highest sequence written without the WAL, and highest sequence known to be in installed tables. */
    private volatile long lastUnloggedSequence;
    private volatile long flushedSequence;
    /** Logical WAL position after the last appended record (guarded by writeLock). */
    private long lastAppendPosition;
    private volatile DurableCommit durableCommit = new DurableCommit(null);
    private long flushesScheduled;
    private long flushesDone;

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
        this.stats = new EngineStatistics(this);
        this.obsoleteFiles = new ObsoleteFiles(this);
        this.background = new BackgroundWork(dir.toString());
        this.compactor = new Compactor(this);
        this.reads = new ReadPath(this);
    }

    /** Called by {@link Recovery} once the store's state is rebuilt. */
    void start(WriteAheadLog wal, long lastSequence, byte[] committedMetadata) {
        this.wal = wal;
        this.lastSequence = lastSequence;
        this.durableCommit = new DurableCommit(committedMetadata);
        this.lastAppendedCommit = committedMetadata;
        publish(new MemTable(), null, versions.pinCurrent());
    }

    /** Starts background work; called once open has removed what a crash left behind (temp files included). */
    void startBackgroundWork() {
        compactor.maybeSchedule();
    }

    /** Swaps in a new read state. It holds a pin on its version, so readers can always pin the one they see. */
    private void publish(MemTable mem, MemTable imm, Version pinnedVersion) {
        synchronized (flushMonitor) {
            ReadState old = state;
            state = new ReadState(mem, imm, pinnedVersion);
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
     * Applies a batch to the memtable without writing it to the WAL: for restoring from a log kept elsewhere (a
     * Kafka changelog). Not durable by itself; the next {@link #commit} first flushes it into a table.
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
            makeRoomForWrite(false);
            long first = lastSequence + 1;
            if (logged) {
                byte[] record = WalRecords.encodeBatch(first, batch);
                try {
                    lastAppendPosition = wal.append(record);
                } catch (RuntimeException e) {
                    throw refuseWrites("write-ahead log append failed", e);
                }
            } else {
                lastUnloggedSequence = first + batch.count() - 1;
            }
            MemTable mem = state.mem();
            long[] next = {first};
            batch.forEach(new WriteBatch.Handler() {
                @Override
                public void put(byte[] key, byte[] value) {
                    // Copied: the caller may reuse its array once write() returns.
                    mem.add(next[0]++, ValueKind.VALUE, key, value.clone());
                }

                @Override
                public void delete(byte[] key) {
                    mem.add(next[0]++, ValueKind.DELETION, key, null);
                }
            });
            lastSequence = next[0] - 1;
            stats.recordWrite(batch.approximateSize());
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
                if (!closed && writeFailure == null && s.imm() == null && !s.mem().isEmpty()) {
                    switchMemtable();
                }
            } finally {
                writeLock.unlock();
            }
        });
    }

    /** Makes the memtable writable: switches it when full (or when forced and non-empty). Holds writeLock. */
    private void makeRoomForWrite(boolean force) {
        boolean allowDelay = !force;
        while (true) {
            ReadState s = state;
            int level0 = s.version().fileCount(0);
            if (allowDelay && level0 >= options.level0SlowdownTrigger()) {
                // Level 0 is filling faster than compaction drains it: give compaction a millisecond of this
                // writer's time, once per write, rather than stopping writes later for much longer.
                long start = System.nanoTime();
                sleepMillis(1);
                stats.recordStall(System.nanoTime() - start);
                allowDelay = false;
                continue;
            }
            boolean full = s.mem().memoryUsage() >= options.writeBufferSize()
                    || (budget != null && s.mem().memoryUsage() >= MIN_BUDGET_FLUSH && budget.memtablesOverLimit());
            if (!(force ? !s.mem().isEmpty() : full)) {
                return;
            }
            if (s.imm() != null) {
                waitForFlush();
                continue;
            }
            if (level0 >= options.level0StopTrigger()) {
                compactor.awaitLevel0BelowStopTrigger();
                continue;
            }
            switchMemtable();
            return;
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes writers waiting on background work (a flush or compaction finished, or failed). */
    void signalBackgroundProgress() {
        synchronized (flushMonitor) {
            flushMonitor.notifyAll();
        }
    }

    /** Publishes the current version for readers (after a compaction changed it). */
    void publishCurrentVersion() {
        synchronized (flushMonitor) {
            publish(state.mem(), state.imm(), versions.pinCurrent());
        }
    }

    /** The sequences of the open snapshots, for deciding which old versions a rewrite may drop. */
    long[] snapshotSequences() {
        return reads.snapshotSequences();
    }

    /** A writer waits for the immutable memtable to be flushed (a stall). */
    private void waitForFlush() {
        long start = System.nanoTime();
        try {
            awaitFlush(() -> state.imm() == null);
        } finally {
            stats.recordStall(System.nanoTime() - start);
        }
    }

    /**
     * Waits until {@code done} holds. If a flush fails meanwhile, it is queued again and the failure is thrown: the
     * waiter gets a clear error, and the next one a retried flush.
     */
    private void awaitFlush(BooleanSupplier done) {
        synchronized (flushMonitor) {
            while (!done.getAsBoolean() && !closed) {
                RuntimeException failure = flushFailure;
                if (failure != null) {
                    flushFailure = null;
                    scheduleFlush();
                    throw new LaminaIOException("flush of the memtable failed; it will be retried", dir, failure);
                }
                try {
                    flushMonitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LaminaException("interrupted while waiting for a flush of " + dir, e);
                }
            }
        }
        checkOpen();
    }

    private void switchMemtable() {
        long newLog = versions.newFileNumber();
        try {
            wal.rotate(newLog);
        } catch (RuntimeException e) {
            throw refuseWrites("write-ahead log rotation failed", e);
        }
        synchronized (flushMonitor) {
            ReadState s = state;
            immLogNumber = newLog;
            immCommittedMetadata = lastAppendedCommit;
            s.version().tryRef();
            publish(new MemTable(), s.mem(), s.version());
            scheduleFlush();
        }
    }

    private void scheduleFlush() {
        synchronized (flushMonitor) {
            flushesScheduled++;
        }
        background.submit(BackgroundPool.Priority.FLUSH, this::flushImmutable);
    }

    private void flushImmutable() {
        MemTable imm;
        long logNumber;
        byte[] metadata;
        synchronized (flushMonitor) {
            imm = state.imm();
            logNumber = immLogNumber;
            metadata = immCommittedMetadata;
        }
        if (imm == null || closed) {
            return;
        }
        try {
            long start = System.nanoTime();
            VersionEdit edit = new VersionEdit().setLogNumber(logNumber).setLastSequence(lastSequence);
            if (metadata != null) {
                edit.setCommittedMetadata(metadata);
            }
            ShadowedEntryFilter filter = new ShadowedEntryFilter(snapshotSequences(), userKey -> false);
            EntryWriter writer = EntryWriter.writeAndInstall(this, imm, filter, edit);
            FileMetaData file = writer.tables().isEmpty() ? null : writer.tables().get(0);
            flushedSequence = Math.max(flushedSequence, imm.largestSequence());
            synchronized (flushMonitor) {
                publish(state.mem(), null, versions.pinCurrent());
                flushesDone++;
                flushMonitor.notifyAll();
            }
            stats.recordFlush(file == null ? 0 : file.size(), System.nanoTime() - start);
            reportMemtableBytes();
            LOG.debug("Flushed memtable of {} to {}", dir, file);
            obsoleteFiles.delete(false);
            compactor.maybeSchedule();
        } catch (RuntimeException e) {
            LOG.error("Flush of {} failed; writes needing room will retry it", dir, e);
            synchronized (flushMonitor) {
                flushFailure = e;
                flushMonitor.notifyAll();
            }
        }
    }

    /** Flushes the memtable to a table and returns once it is installed. */
    public void flush() {
        checkOpen();
        long target;
        writeLock.lock();
        try {
            checkWritable();
            makeRoomForWrite(true);
            synchronized (flushMonitor) {
                target = flushesScheduled;
            }
        } finally {
            writeLock.unlock();
        }
        awaitFlush(() -> flushesDone >= target);
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

    /** Appends a commit record and returns once it and every earlier write are on stable storage. */
    public void commit(byte[] metadata) {
        checkOpen();
        if (lastUnloggedSequence > flushedSequence) {
            // Data written without the WAL becomes durable only in a table: install it before the commit record,
            // so committed metadata is never ahead of the data on disk.
            flush();
        }
        long position;
        writeLock.lock();
        try {
            checkWritable();
            try {
                position = wal.append(WalRecords.encodeCommit(lastSequence, metadata));
                lastAppendPosition = position;
            } catch (RuntimeException e) {
                throw refuseWrites("write-ahead log append of a commit failed", e);
            }
            lastAppendedCommit = metadata;
        } finally {
            writeLock.unlock();
        }
        try {
            wal.syncTo(position);
        } catch (RuntimeException e) {
            // After a failed fsync the kernel may have dropped dirty pages: nothing after the last good sync is
            // known to be on disk, so stop accepting writes rather than acknowledge them.
            throw refuseWrites("write-ahead log sync failed", e);
        }
        durableCommit.acknowledged(position, metadata);
        stats.recordCommit();
    }

    public byte[] committedMetadata() {
        checkOpen();
        return durableCommit.metadata();
    }

    private RuntimeException refuseWrites(String what, RuntimeException cause) {
        writeFailure = cause;
        LOG.error("{} for {}; refusing writes until the store is reopened", what, dir, cause);
        return cause instanceof LaminaException ? cause : new LaminaIOException(what, dir, cause);
    }

    private void checkWritable() {
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
        return reads.getSnapshot();
    }

    // ---- state for statistics and cleanup ---------------------------------------------------------------------

    ReadState readState() {
        return state;
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
            awaitImmutableFlush(30_000);
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
                    wal.syncTo(lastAppendPosition);
                } catch (RuntimeException e) {
                    LOG.warn("Final sync of the write-ahead log of {} failed", dir, e);
                }
            }
        } finally {
            writeLock.unlock();
            closeResources();
        }
    }

    /** Lets a flush already under way finish, so the next open replays less; bounded, and skipped after failures. */
    private void awaitImmutableFlush(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (flushMonitor) {
            while (state.imm() != null && flushFailure == null && writeFailure == null) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    LOG.warn("Closing {} without waiting longer for its memtable flush", dir);
                    return;
                }
                try {
                    flushMonitor.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Releases files and the lock; also used when open fails half-way. */
    void closeResources() {
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
