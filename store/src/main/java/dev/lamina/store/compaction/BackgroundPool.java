package dev.lamina.store.compaction;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one pool of background threads every store in the JVM flushes and compacts on, so that a hundred stores do
 * not mean hundreds of threads. Flushes run before waiting compactions: a writer may be waiting for a flush, while
 * a compaction only ever makes things tidier. Size: the system property {@value #THREADS_PROPERTY}, else the number
 * of processors (at least 2), fixed when the pool is first used. Daemon threads named {@code lamina-background-N}.
 *
 * <p>Deletions of obsolete files run on one thread of their own ({@code lamina-file-deleter}): on a file system
 * mounted with {@code discard} an unlink of a 64 MiB file takes about 100 ms, and a flush queued behind such
 * deletions was a writer stalled.
 */
public final class BackgroundPool {
    public static final String THREADS_PROPERTY = "lamina.background.threads";

    /** What a task is, which orders the queue. */
    public enum Priority {
        FLUSH, COMPACTION, DELETION,
        /**
         * Log records written ahead of a commit: on the log thread, beside the periodic syncs, never behind a
         * compaction.
         */
        LOG
    }

    private static final AtomicLong ORDER = new AtomicLong();

    private static final class Holder {
        static final ThreadPoolExecutor POOL = create();
        static final ExecutorService DELETER = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lamina-file-deleter");
            t.setDaemon(true);
            return t;
        });
        static final ScheduledThreadPoolExecutor SYNCER = syncer();
    }

    private BackgroundPool() {
    }

    /** Queues a task; flushes go ahead of compactions, otherwise first come, first served. */
    public static void execute(Priority priority, Runnable task) {
        if (priority == Priority.DELETION) {
            Holder.DELETER.execute(task);
            return;
        }
        if (priority == Priority.LOG) {
            Holder.SYNCER.execute(task);
            return;
        }
        Holder.POOL.execute(new Task(priority, ORDER.incrementAndGet(), task));
    }

    /**
     * Runs {@code task} every {@code periodMillis}, counted from the end of its previous run, on the log-sync thread
     * until the returned future is cancelled. The task must not throw.
     */
    public static ScheduledFuture<?> every(long periodMillis, Runnable task) {
        return Holder.SYNCER.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** The number of threads the shared pool has (or will have). */
    public static int threads() {
        Integer configured = Integer.getInteger(THREADS_PROPERTY);
        if (configured != null && configured > 0) {
            return configured;
        }
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    private static ScheduledThreadPoolExecutor syncer() {
        ScheduledThreadPoolExecutor syncer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lamina-log-syncer");
            t.setDaemon(true);
            return t;
        });
        syncer.setRemoveOnCancelPolicy(true); // a closed store's task goes at once, not an interval later
        return syncer;
    }

    private static ThreadPoolExecutor create() {
        AtomicInteger counter = new AtomicInteger();
        int n = threads();
        return new ThreadPoolExecutor(n, n, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "lamina-background-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private record Task(Priority priority, long order, Runnable body) implements Runnable, Comparable<Task> {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public int compareTo(Task other) {
            int c = priority.compareTo(other.priority);
            return c != 0 ? c : Long.compare(order, other.order);
        }
    }
}
