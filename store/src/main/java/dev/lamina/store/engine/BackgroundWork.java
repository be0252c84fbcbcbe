package dev.lamina.store.engine;

import dev.lamina.store.compaction.BackgroundPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store's share of the {@link BackgroundPool}: counts its queued and running tasks so that {@code close} can
 * wait for exactly its own work, and turns tasks queued after close into no-ops.
 */
final class BackgroundWork {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);

    private final String storeName;
    private int outstanding;
    private boolean closed;

    BackgroundWork(String storeName) {
        this.storeName = storeName;
    }

    /** Queues a task unless the store is closing; returns whether it was queued. */
    synchronized boolean submit(BackgroundPool.Priority priority, Runnable task) {
        if (closed) {
            return false;
        }
        outstanding++;
        BackgroundPool.execute(priority, () -> {
            try {
                if (!isClosed()) {
                    task.run();
                }
            } catch (RuntimeException | Error e) {
                LOG.error("Background {} of {} failed", priority, storeName, e);
            } finally {
                done();
            }
        });
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void done() {
        outstanding--;
        notifyAll();
    }

    /** Stops accepting tasks and waits for the running ones (queued ones find the store closed and return). */
    synchronized void closeAndAwait(long timeoutMillis) {
        closed = true;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (outstanding > 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                LOG.warn("Background work of {} did not finish within {} ms of close", storeName, timeoutMillis);
                return;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
