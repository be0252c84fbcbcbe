package dev.lamina.store.fault;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import java.nio.file.Path;

/**
 * Executes a {@link Workload} on one store and keeps the oracle's side: which batches were started, which returned,
 * and which commit was acknowledged last. The fields are volatile because sync-point listeners read them from the
 * store's background threads.
 */
public final class WorkloadRunner implements AutoCloseable {
    private final Path dir;
    private final LaminaOptions options;
    private Lamina db;
    /** Highest batch whose write was called: a crash may leave it in the store even if it did not return. */
    private volatile long started;
    /** Highest batch whose write returned. */
    private volatile long written;
    /** Metadata (batch number) of the last commit that returned: it and every batch before it must survive. */
    private volatile long acked;
    /**
     * Metadata of the last commit acknowledged before the store was last closed: what a power loss keeps under
     * {@code CommitSync.INTERVAL} however its background syncs were timed.
     */
    private volatile long ackedBeforeClose;

    public WorkloadRunner(Path dir, LaminaOptions options) {
        this.dir = dir;
        this.options = options;
    }

    public void open() {
        db = Lamina.open(dir, options);
    }

    public Lamina db() {
        return db;
    }

    public long started() {
        return started;
    }

    public long written() {
        return written;
    }

    public long acked() {
        return acked;
    }

    public long ackedBeforeClose() {
        return ackedBeforeClose;
    }

    /** Sets the progress after opening a store that already holds batches {@code 1..n}, committed up to {@code c}. */
    public void resumeFrom(long n, long c) {
        started = written = n;
        acked = ackedBeforeClose = c;
    }

    public void run(Workload workload) {
        for (Workload.Step step : workload.steps()) {
            run(step);
        }
    }

    public void run(Workload.Step step) {
        switch (step.kind()) {
            case WRITE -> {
                started = step.batch();
                db.write(Batches.batch(step.batch()));
                written = step.batch();
            }
            case RESTORE -> {
                started = step.batch();
                db.writeWithoutLog(Batches.batch(step.batch()));
                written = step.batch();
            }
            case COMMIT -> {
                db.commit(Batches.encode(step.batch()));
                acked = step.batch();
            }
            case FLUSH -> db.flush();
            case REOPEN -> {
                Lamina old = db;
                db = null;
                old.close();
                ackedBeforeClose = acked;
                db = Lamina.open(dir, options);
            }
            case CHECK -> StoreVerifier.assertHolds(db, written, "check after batch " + written);
            default -> throw new IllegalArgumentException("no runner for step " + step);
        }
    }

    /** Closes the store if it is open; a store whose file system has died still releases what it holds. */
    @Override
    public void close() {
        Lamina d = db;
        db = null;
        if (d != null) {
            d.close();
        }
    }
}
