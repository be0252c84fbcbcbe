package dev.lamina.store.engine;

import dev.lamina.store.CommitSync;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.wal.WalRecords;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commits of one store. A commit makes the writes of every memtable durable before its commit record, each in
 * the log or in its table as {@link CommitPolicy} decides, in three steps:
 * <ol>
 * <li>one pass over the memtables, oldest first, under the write lock: the step for each;</li>
 * <li>without the lock, the waits for the tables chosen; the mutable memtable, if chosen, is switched once the
 * immutable ones' flushes have made room (a commit never waits for room, except for writes made without the log,
 * which only a table makes durable). A failed flush leaves its memtable's writes to the log, unless they were made
 * without it: then the commit fails;</li>
 * <li>one pass under the write lock that appends the unlogged writes of every memtable still waiting for its flush
 * (those flushed meanwhile are in tables) and of the mutable one, then the commit record, and hands them to the
 * operating system ({@link CommitSync#INTERVAL}) or syncs them after the lock ({@link CommitSync#ALWAYS}).</li>
 * </ol>
 * Between commits, writes may be logged ahead ({@link #logAhead}): when commits come more often than the memtable
 * fills, a background task appends the mutable memtable's unlogged writes once they reach {@link #logAheadBytes},
 * so a commit has only the tail left. Appends and log rotations are serialized by the engine's log lock, always
 * taken after the write lock; the task holds the write lock only to take the writes, not while it writes them.
 *
 * <p>What it needs of the engine is its {@link Env}, so it is tested without files ({@code CommitPipelineTest}).
 */
final class CommitPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(CommitPipeline.class);

    /** The engine, as the pipeline sees it. Methods marked (write lock) are called holding it. */
    interface Env {
        /** Takes the engine's write lock; throws, released, if the store refuses writes. */
        void lockWrites();

        void unlockWrites();

        /** The immutable memtables waiting for their flush, oldest first (write lock). */
        List<MemtableEntry> immutables();

        /** The mutable memtable (write lock). */
        MemtableEntry mutable();

        /** Whether the mutable memtable could switch without waiting once {@code finishing} flushes are done. */
        boolean roomToSwitch(int finishing);

        /** Switches the mutable memtable, first waiting for room if {@code waitForRoom} (write lock). */
        void switchMutable(boolean waitForRoom);

        /** Waits until the table of {@code entry} is installed; throws {@link LaminaIOException} if a flush failed. */
        void awaitInstalled(MemtableEntry entry);

        /** The sequence of the last write (write lock). */
        long lastSequence();

        /** Takes the log lock, which serializes appends with log rotation; taken after the write lock, if both. */
        void lockLog();

        void unlockLog();

        /** Appends a record to the write-ahead log; returns the position after it (log lock). */
        long append(byte[] record);

        /** Hands what was appended to the operating system (log lock). */
        void writeOut();

        /** Heap bytes the mutable memtable may still take before it is full (write lock). */
        long memtableRoom();

        /** Runs {@code task} on the log thread, unless the store is closing. */
        void scheduleLogWork(Runnable task);

        /** Returns once the log is durable up to {@code position}. */
        void syncTo(long position);

        /** Latches a failure after which the store refuses writes; returns the exception to throw. */
        RuntimeException refuseWrites(String what, RuntimeException cause);
    }

    private final Env env;
    private final CommitSync sync;
    private final String storeName;
    /** Metadata of the last commit appended (write lock); a switch hands it to its flush's version edit. */
    private byte[] lastAppendedCommit;
    /** Log position after the last commit appended (write lock). */
    private long lastAppendPosition;
    private final DurableCommit durable;

    /** Unlogged bytes of the mutable memtable worth logging ahead of a commit: at most this, an eighth of a buffer. */
    private static final long MAX_LOG_AHEAD_BYTES = 1 << 20;
    private final long logAheadBytes;
    /** Bytes written since the last commit, and between the two before (none until there were two): write lock. */
    private long bytesSinceCommit;
    private long bytesBetweenLastCommits = Long.MAX_VALUE;
    private boolean commitSeen;
    /** A log-ahead task is queued (write lock). */
    private boolean logAheadQueued;

    /**
     * {@code logAheadBytes}: the unlogged bytes of the mutable memtable at which they are logged ahead of a commit
     * ({@link #logAheadBytes(long)} of the write buffer).
     */
    CommitPipeline(Env env, CommitSync sync, String storeName, byte[] recoveredCommit, long logAheadBytes) {
        this.env = env;
        this.logAheadBytes = logAheadBytes;
        this.sync = sync;
        this.storeName = storeName;
        this.lastAppendedCommit = recoveredCommit;
        this.durable = new DurableCommit(recoveredCommit);
    }

    /** Commits {@code metadata} with every write made before; see the class comment. */
    void commit(byte[] metadata) {
        awaitTables(plan());
        long position;
        env.lockWrites();
        env.lockLog();
        try {
            try {
                for (MemtableEntry entry : env.immutables()) {
                    entry.unlogged.appendNewest(env::append);
                }
                env.mutable().unlogged.appendNewest(env::append);
                position = env.append(WalRecords.encodeCommit(env.lastSequence(), metadata));
                if (sync == CommitSync.INTERVAL) {
                    env.writeOut(); // survives kill -9 now; the periodic sync makes it survive power loss
                }
            } catch (RuntimeException e) {
                throw env.refuseWrites("write-ahead log append of a commit failed", e);
            }
            lastAppendPosition = position;
            lastAppendedCommit = metadata;
            bytesBetweenLastCommits = commitSeen ? bytesSinceCommit : Long.MAX_VALUE;
            bytesSinceCommit = 0;
            commitSeen = true;
        } finally {
            env.unlockLog();
            env.unlockWrites();
        }
        if (sync == CommitSync.ALWAYS) {
            try {
                env.syncTo(position);
            } catch (RuntimeException e) {
                // After a failed fsync the kernel may have dropped dirty pages: nothing after the last good sync is
                // known to be on disk, so stop accepting writes rather than acknowledge them.
                throw env.refuseWrites("write-ahead log sync failed", e);
            }
        }
        durable.acknowledged(position, metadata);
    }

    /** The unlogged bytes worth logging ahead for a write buffer of {@code writeBufferSize}. */
    static long logAheadBytes(long writeBufferSize) {
        return Math.min(MAX_LOG_AHEAD_BYTES, writeBufferSize / 8);
    }

    /** Counts a write of {@code bytes} and queues a log-ahead task if one is due; called by writers (write lock). */
    void afterWrite(long bytes) {
        bytesSinceCommit += bytes;
        if (!logAheadQueued && logAheadDue()) {
            logAheadQueued = true;
            env.scheduleLogWork(this::logAhead);
        }
    }

    private boolean logAheadDue() {
        return CommitPolicy.logAhead(env.mutable().unlogged, logAheadBytes, bytesBetweenLastCommits,
                env.memtableRoom());
    }

    /**
     * Appends the mutable memtable's unlogged writes to the log and hands them to the operating system, if that is
     * still due. Takes the writes under the write lock, then writes them holding only the log lock, so writers go on
     * meanwhile; a switch or a commit waits for the log lock.
     */
    void logAhead() {
        UncommittedWrites.Records records;
        env.lockWrites();
        try {
            logAheadQueued = false;
            if (!logAheadDue()) {
                return;
            }
            env.lockLog();
            try {
                records = env.mutable().unlogged.take();
            } catch (RuntimeException e) {
                env.unlockLog();
                throw e;
            }
        } finally {
            env.unlockWrites();
        }
        try {
            records.appendTo(env::append);
            env.writeOut();
        } catch (RuntimeException e) {
            throw env.refuseWrites("write-ahead log append of writes ahead of a commit failed", e);
        } finally {
            env.unlockLog();
        }
    }

    /** The tables to wait for (immutable memtables), and the mutable memtable to switch and wait for, or null. */
    private record Plan(List<MemtableEntry> awaited, MemtableEntry toSwitch) {
    }

    private Plan plan() {
        env.lockWrites();
        try {
            List<MemtableEntry> imms = env.immutables();
            List<MemtableEntry> awaited = new ArrayList<>();
            for (MemtableEntry entry : imms) {
                if (CommitPolicy.decide(entry, false, false) == CommitPolicy.Step.AWAIT_FLUSH) {
                    awaited.add(entry);
                }
            }
            MemtableEntry mutable = env.mutable();
            boolean switchIt = CommitPolicy.decide(mutable, true, env.roomToSwitch(awaited.size()))
                    == CommitPolicy.Step.SWITCH_AND_AWAIT_FLUSH;
            return new Plan(awaited, switchIt ? mutable : null);
        } finally {
            env.unlockWrites();
        }
    }

    private void awaitTables(Plan plan) {
        await(plan.awaited());
        if (plan.toSwitch() != null && switchForCommit(plan.toSwitch())) {
            await(List.of(plan.toSwitch()));
        }
    }

    /** Switches {@code entry} if it is still the mutable memtable and may; returns whether it is now immutable. */
    private boolean switchForCommit(MemtableEntry entry) {
        env.lockWrites();
        try {
            if (env.mutable() != entry) {
                return true; // a writer or the memory budget switched it meanwhile: its flush is queued
            }
            boolean mustSwitch = entry.holdsRestoredWrites();
            if (!mustSwitch && !env.roomToSwitch(0)) {
                return false; // its writes are logged instead
            }
            env.switchMutable(mustSwitch);
            return true;
        } finally {
            env.unlockWrites();
        }
    }

    private void await(List<MemtableEntry> entries) {
        for (MemtableEntry entry : entries) {
            try {
                env.awaitInstalled(entry);
            } catch (LaminaIOException e) {
                if (entry.holdsRestoredWrites()) {
                    throw e; // only a table makes them durable: no commit without it
                }
                LOG.debug("A flush of {} failed; the commit logs the writes it was waiting for", storeName);
            }
        }
    }

    /** The metadata of the latest acknowledged commit (a copy), or null. */
    byte[] committedMetadata() {
        return durable.metadata();
    }

    /** Metadata of the last commit appended (write lock), which a switch hands to its flush. */
    byte[] lastAppendedCommit() {
        return lastAppendedCommit;
    }

    /** Log position after the last commit appended (write lock). */
    long lastAppendPosition() {
        return lastAppendPosition;
    }
}
