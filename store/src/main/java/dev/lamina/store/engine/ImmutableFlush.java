package dev.lamina.store.engine;

import dev.lamina.store.LaminaException;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.compaction.BackgroundPool;
import dev.lamina.store.compaction.ShadowedEntryFilter;
import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.VersionEdit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flushes of the engine's immutable memtables. A memtable switch hands one over; up to
 * {@code maxImmutableMemtables} wait or are flushed at once, each on a background thread: writing one's value-log
 * and table files overlaps another's fsyncs. They are installed strictly in switch order (a flush that finishes
 * early waits, without holding its thread, for the older ones), each with the version edit that retires the WAL
 * files it covers. Level 0 orders tables by their sequences, not their numbers, so a failed flush is simply written
 * again later under a new number while younger ones keep what they wrote. Writers that need room,
 * {@link Engine#flush()} and {@code close} wait here. All state is guarded by the engine's {@code flushMonitor}.
 */
final class ImmutableFlush {
    private static final Logger LOG = LoggerFactory.getLogger(ImmutableFlush.class);

    private final Engine engine;
    private final Object monitor;
    /** The immutable memtables in switch order, oldest first: the same ones, in the same order, as the read state. */
    private final ArrayDeque<MemtableEntry> queue = new ArrayDeque<>();
    /** A thread is installing the oldest written flush; others leave theirs for it. */
    private boolean installing;
    private long scheduled;
    private long done;
    /** The last flush failed; the next writer that needs room retries it. */
    private volatile RuntimeException failure;

    ImmutableFlush(Engine engine) {
        this.engine = engine;
        this.monitor = engine.flushMonitor;
    }

    /** Takes over a memtable that just became immutable (the caller holds the monitor) and schedules its flush. */
    void handOver(MemtableEntry entry) {
        queue.addLast(entry);
        scheduled++;
        submit();
    }

    private void submit() {
        engine.background.submit(BackgroundPool.Priority.FLUSH, this::run);
    }

    /** Writes the oldest memtable whose flush has not started, then installs whatever is ready in order. */
    private void run() {
        MemtableEntry p;
        long tableNumber;
        synchronized (monitor) {
            p = nextToStart();
            if (p == null || engine.isClosed()) {
                return;
            }
            p.running = true;
            tableNumber = engine.versions.newFileNumber();
        }
        EntryWriter writer;
        VersionEdit edit;
        long start = System.nanoTime();
        try {
            // The memtable's own last sequence, not the engine's: writes made since the switch are not in this
            // table, and a crash loses them; recording their sequences made a store holding only committed data
            // look, after a crash, as if it held writes past its last commit.
            edit = new VersionEdit().setLogNumber(p.nextLogNumber()).setLastSequence(p.mem.largestSequence());
            if (p.commitAtSwitch() != null) {
                edit.setCommittedMetadata(p.commitAtSwitch());
            }
            ShadowedEntryFilter filter = new ShadowedEntryFilter(engine.snapshotSequences(), userKey -> false);
            writer = EntryWriter.write(engine, p.mem, filter, edit, tableNumber);
        } catch (RuntimeException e) {
            fail(p, e);
            return;
        }
        synchronized (monitor) {
            p.running = false;
            p.written = writer;
            p.edit = edit;
            p.startNanos = start;
        }
        installReady();
    }

    /** The oldest memtable whose flush has not started, or null. */
    private MemtableEntry nextToStart() {
        for (MemtableEntry q : queue) {
            if (!q.flushStarted()) {
                return q;
            }
        }
        return null;
    }

    /**
     * Records a failure of {@code p}'s flush: it is written again from the start when a waiter retries it. Files it
     * wrote are in no manifest, so the next deletion pass removes them.
     */
    private void fail(MemtableEntry p, RuntimeException e) {
        LOG.error("Flush of {} failed; writes needing room will retry it", engine.dir, e);
        synchronized (monitor) {
            p.running = false;
            if (p.written != null) {
                p.written.outputNumbers().forEach(engine.pendingOutputs::remove);
                p.written = null;
                p.edit = null;
            }
            failure = e;
            monitor.notifyAll();
        }
    }

    /** Installs written flushes from the oldest on, until one is not written yet; one thread at a time. */
    private void installReady() {
        while (true) {
            MemtableEntry head;
            synchronized (monitor) {
                head = queue.peekFirst();
                if (installing || head == null || head.written == null || engine.isClosed()) {
                    return;
                }
                installing = true;
            }
            EntryWriter writer = head.written;
            try {
                engine.versions.logAndApply(head.edit);
            } catch (RuntimeException e) {
                synchronized (monitor) {
                    installing = false;
                }
                fail(head, e);
                return;
            }
            writer.outputNumbers().forEach(engine.pendingOutputs::remove);
            // Counted before waiters wake: a caller of flush() then sees its flush in the statistics.
            FileMetaData file = writer.tables().isEmpty() ? null : writer.tables().get(0);
            engine.stats.recordFlush(file == null ? 0 : file.size(), System.nanoTime() - head.startNanos);
            synchronized (monitor) {
                queue.removeFirst();
                head.installed = true;
                engine.publishFlushed(head.mem);
                done++;
                installing = false;
                monitor.notifyAll();
            }
            engine.onFlushed();
            LOG.debug("Flushed memtable of {} to {}", engine.dir, file);
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

    /**
     * Waits until the table of {@code entry} is installed.
     *
     * @throws LaminaIOException if a flush failed meanwhile (it is queued again, as after {@link #await})
     */
    void awaitInstalled(MemtableEntry entry) {
        await(() -> entry.installed);
    }

    /** The immutable memtables waiting for their flush, oldest first. */
    List<MemtableEntry> entries() {
        synchronized (monitor) {
            return List.copyOf(queue);
        }
    }

    /** A writer waits until fewer than {@code max} immutable memtables are left (a stall). */
    void awaitFewerThan(int max) {
        long start = System.nanoTime();
        try {
            await(() -> engine.readState().imms().size() < max);
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
                    submit();
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

    /** Lets the flushes under way finish, so the next open replays less; bounded, and skipped after failures. */
    void awaitQuietly(long timeoutMillis, BooleanSupplier giveUp) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (monitor) {
            while (!engine.readState().imms().isEmpty() && failure == null && !giveUp.getAsBoolean()) {
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
}
