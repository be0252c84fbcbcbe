package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.fault.StoreVerifier.Bounds;
import dev.lamina.store.fault.StoreVerifier.Found;
import dev.lamina.store.io.NioFileSystem;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fills the disk at points spread over a workload's life (in a WAL append, a table being flushed, a manifest, a
 * recovery). Writes and commits must then fail cleanly with "No space left", reads must keep working, and once space
 * returns the store must take writes again: without a reopen if only a flush had failed, after one if the
 * write-ahead log had (by design, see architecture.md), holding every acknowledged commit either way.
 */
class DiskFullTest {
    private static final boolean STRESS = Dirs.stress();

    @TempDir
    Path tmp;

    private final Map<String, Integer> outcomes = new TreeMap<>();

    @Test
    void aFullDiskFailsWritesCleanlyKeepsReadsWorkingAndTheStoreWritesAgainOnceSpaceReturns() {
        Workload workload = IoFaultTest.workload();
        DiskQuotaFileSystem measuring = new DiskQuotaFileSystem(NioFileSystem.instance(), Long.MAX_VALUE);
        try (WorkloadRunner runner = new WorkloadRunner(tmp.resolve("measure"), IoFaultTest.options(measuring))) {
            runner.open();
            runner.run(workload);
        }
        long peak = measuring.peak();
        int points = STRESS ? 200 : 30;
        for (int i = 0; i < points; i++) {
            long capacity = 1 + peak * i / points;
            fillAt(workload, capacity, tmp.resolve("full-" + i), i % 2 == 0);
        }
        System.out.printf("DiskFullTest: peak use %d bytes, %d capacities, outcomes %s%n", peak, points, outcomes);
        assertTrue(outcomes.getOrDefault("writes again after reopen", 0) > points / 2, outcomes.toString());
    }

    /**
     * Runs the workload on a disk of {@code capacity} bytes until it fills; {@code writeWhileFull} also tries a
     * write and a commit while the disk is full, which makes the write-ahead log fail too.
     */
    private void fillAt(Workload workload, long capacity, Path store, boolean writeWhileFull) {
        DiskQuotaFileSystem fs = new DiskQuotaFileSystem(NioFileSystem.instance(), capacity);
        WorkloadRunner runner = new WorkloadRunner(store, IoFaultTest.options(fs));
        RuntimeException failure = null;
        String at = "first open";
        try {
            runner.open();
            for (Workload.Step step : workload.steps()) {
                at = step.toString();
                runner.run(step);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        String what = "disk of " + capacity + " bytes full at " + at + (writeWhileFull ? ", written to while full" : "");
        if (failure == null) {
            outcome("never full");
        } else {
            FaultAssertions.assertClean(failure, DiskQuotaFileSystem.NO_SPACE, what);
            fs.fill();
            if (runner.db() != null) {
                whileFull(runner, what, writeWhileFull);
                fs.setCapacity(Long.MAX_VALUE);
                outcome((writesAgain(runner, what) ? "writes again without reopen" : "refused until reopen")
                        + (writeWhileFull ? " (written to while full)" : " (not written to while full)"));
            } else {
                fs.setCapacity(Long.MAX_VALUE);
            }
        }
        runner.close();
        fs.setCapacity(Long.MAX_VALUE); // the recovery below writes tables: it needs space even if the run did not
        Found found = StoreVerifier.verify(store, IoFaultTest.options(fs),
                new Bounds(runner.acked(), runner.started(), runner.acked()), what + ", reopened with space");
        IoFaultTest.assertWritableAgain(store, found, what);
        if (failure != null) {
            outcome("writes again after reopen");
        }
        Dirs.deleteRecursively(store);
    }

    /** Reads return what was written; a write and a commit are refused cleanly. */
    private static void whileFull(WorkloadRunner runner, String what, boolean writeWhileFull) {
        Lamina db = runner.db();
        StoreVerifier.assertHolds(db, runner.written(), what + ", reading while full");
        if (!writeWhileFull) {
            return;
        }
        long next = runner.started() > runner.written() ? runner.started() : runner.written() + 1;
        try {
            runner.run(new Workload.Step(Workload.Kind.WRITE, next));
            runner.run(new Workload.Step(Workload.Kind.COMMIT, next));
            throw new AssertionError(what + ": a write and a commit succeeded on a full disk");
        } catch (RuntimeException e) {
            FaultAssertions.assertClean(e, DiskQuotaFileSystem.NO_SPACE, what + ", writing while full");
        }
    }

    /**
     * With space back and no reopen: the first write may still report the failure that happened while full (a
     * failed flush is reported once, then retried); the second must work, unless the store refuses writes until a
     * reopen, which it must say.
     */
    private static boolean writesAgain(WorkloadRunner runner, String what) {
        for (int attempt = 0; attempt < 2; attempt++) {
            long next = runner.started() > runner.written() ? runner.started() : runner.written() + 1;
            try {
                runner.run(new Workload.Step(Workload.Kind.WRITE, next));
                runner.run(new Workload.Step(Workload.Kind.COMMIT, next));
                StoreVerifier.assertHolds(runner.db(), runner.written(), what + ", after space returned");
                return true;
            } catch (RuntimeException e) {
                if (e.getMessage() != null && e.getMessage().contains("reopen")) {
                    FaultAssertions.assertClean(e, DiskQuotaFileSystem.NO_SPACE, what + ", refused after space");
                    return false;
                }
                FaultAssertions.assertClean(e, DiskQuotaFileSystem.NO_SPACE, what + ", writing after space");
            }
        }
        throw new AssertionError(what + ": writes still fail after space returned, without asking for a reopen");
    }

    private void outcome(String key) {
        outcomes.merge(key, 1, Integer::sum);
    }
}
