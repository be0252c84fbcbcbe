package dev.lamina.store.wal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Shares fsyncs between concurrent committers. A caller whose position is not yet durable either becomes the
 * leader, if no sync is running, and runs the sync for everything written so far, or waits for the running sync and
 * then checks again: it is usually covered, and otherwise leads the next round. So at most one sync runs at a time
 * and every waiter is covered by at most two.
 */
final class GroupCommit {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition syncFinished = lock.newCondition();
    /** Syncs the log and returns the position it made durable; throws if it could not. */
    private final LongSupplier sync;
    /** Throws if the log can no longer be synced (closed or failed); called before leading or waiting. */
    private final Runnable ensureUsable;

    private long syncedPosition;
    private boolean syncInProgress;

    GroupCommit(LongSupplier sync, Runnable ensureUsable) {
        this.sync = sync;
        this.ensureUsable = ensureUsable;
    }

    /** Returns once {@code position} is durable; throws what the sync or the usability check throws. */
    void awaitSynced(long position) {
        lock.lock();
        try {
            while (true) {
                if (syncedPosition >= position) {
                    return;
                }
                ensureUsable.run();
                if (!syncInProgress) {
                    break;
                }
                // Uninterruptible: a sync is short, and giving up early would leave the caller not knowing
                // whether its commit is durable.
                syncFinished.awaitUninterruptibly();
            }
            syncInProgress = true;
        } finally {
            lock.unlock();
        }
        lead(position);
    }

    private void lead(long position) {
        long synced = -1;
        RuntimeException error = null;
        try {
            synced = sync.getAsLong();
        } catch (RuntimeException e) {
            error = e;
        }
        lock.lock();
        try {
            syncInProgress = false;
            syncedPosition = Math.max(syncedPosition, synced);
            syncFinished.signalAll();
            // A close or rotation may have made the position durable while this leader waited for the file.
            if (error != null && syncedPosition < position) {
                throw error;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records that everything up to {@code position} is durable (a rotation or close synced the file). */
    void markSynced(long position) {
        lock.lock();
        try {
            syncedPosition = Math.max(syncedPosition, position);
            syncFinished.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the waiters so that they re-check, e.g. after the log was closed. */
    void wakeAll() {
        lock.lock();
        try {
            syncFinished.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long syncedPosition() {
        lock.lock();
        try {
            return syncedPosition;
        } finally {
            lock.unlock();
        }
    }
}
