package dev.lamina.store.engine;

import dev.lamina.store.LaminaException;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.compaction.BackgroundPool;
import dev.lamina.store.compaction.ShadowedEntryFilter;
import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.VersionEdit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flush of the engine's immutable memtable: handed over by a memtable switch, run on the background pool,
 * installed with the version edit that retires the WAL files it covers, and waited for by writers that need room,
 * by {@link Engine#flush()} and by commits. All state is guarded by the engine's {@code flushMonitor}.
 */
final class ImmutableFlush {
    private static final Logger LOG = LoggerFactory.getLogger(ImmutableFlush.class);

    private final Engine engine;
    private final Object monitor;
    /** The WAL file the engine switched to, and the last appended commit, when the memtable became immutable. */
    private long logNumber;
    private byte[] committedMetadata;
    private long scheduled;
    private long done;
    /** The last flush failed; the next writer that needs room retries it. */
    private volatile RuntimeException failure;
    /** Highest sequence known to be in installed tables. */
    private volatile long flushedSequence;

    ImmutableFlush(Engine engine) {
        this.engine = engine;
        this.monitor = engine.flushMonitor;
    }

    /** Takes over the memtable that just became immutable (the caller holds the monitor) and schedules its flush. */
    void handOver(long newLogNumber, byte[] lastAppendedCommit) {
        logNumber = newLogNumber;
        committedMetadata = lastAppendedCommit;
        schedule();
    }

    private void schedule() {
        synchronized (monitor) {
            scheduled++;
        }
        engine.background.submit(BackgroundPool.Priority.FLUSH, this::run);
    }

    private void run() {
        MemTable imm;
        long log;
        byte[] metadata;
        synchronized (monitor) {
            imm = engine.readState().imm();
            log = logNumber;
            metadata = committedMetadata;
        }
        if (imm == null || engine.isClosed()) {
            return;
        }
        try {
            long start = System.nanoTime();
            VersionEdit edit = new VersionEdit().setLogNumber(log).setLastSequence(engine.lastSequence());
            if (metadata != null) {
                edit.setCommittedMetadata(metadata);
            }
            ShadowedEntryFilter filter = new ShadowedEntryFilter(engine.snapshotSequences(), userKey -> false);
            EntryWriter writer = EntryWriter.writeAndInstall(engine, imm, filter, edit);
            FileMetaData file = writer.tables().isEmpty() ? null : writer.tables().get(0);
            flushedSequence = Math.max(flushedSequence, imm.largestSequence());
            synchronized (monitor) {
                engine.publishFlushed();
                done++;
                monitor.notifyAll();
            }
            engine.stats.recordFlush(file == null ? 0 : file.size(), System.nanoTime() - start);
            engine.onFlushed();
            LOG.debug("Flushed memtable of {} to {}", engine.dir, file);
        } catch (RuntimeException e) {
            LOG.error("Flush of {} failed; writes needing room will retry it", engine.dir, e);
            synchronized (monitor) {
                failure = e;
                monitor.notifyAll();
            }
        }
    }

    /** Flushes scheduled so far; {@link #awaitDone} waits for a count. */
    long scheduledCount() {
        synchronized (monitor) {
            return scheduled;
        }
    }

    void awaitDone(long count) {
        await(() -> done >= count);
    }

    /** A writer waits for the immutable memtable to be flushed (a stall). */
    void awaitImmutableGone() {
        long start = System.nanoTime();
        try {
            await(() -> engine.readState().imm() == null);
        } finally {
            engine.stats.recordStall(System.nanoTime() - start);
        }
    }

    /**
     * Waits until {@code condition} holds. If a flush fails meanwhile, it is queued again and the failure is thrown:
     * the waiter gets a clear error, and the next one a retried flush.
     */
    void await(BooleanSupplier condition) {
        synchronized (monitor) {
            while (!condition.getAsBoolean() && !engine.isClosed()) {
                RuntimeException failed = failure;
                if (failed != null) {
                    failure = null;
                    schedule();
                    throw new LaminaIOException("flush of the memtable failed; it will be retried", engine.dir,
                            failed);
                }
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LaminaException("interrupted while waiting for a flush of " + engine.dir, e);
                }
            }
        }
        engine.checkOpen();
    }

    /** Lets a flush already under way finish, so the next open replays less; bounded, and skipped after failures. */
    void awaitQuietly(long timeoutMillis, BooleanSupplier giveUp) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (monitor) {
            while (engine.readState().imm() != null && failure == null && !giveUp.getAsBoolean()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    LOG.warn("Closing {} without waiting longer for its memtable flush", engine.dir);
                    return;
                }
                try {
                    monitor.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    long flushedSequence() {
        return flushedSequence;
    }
}
