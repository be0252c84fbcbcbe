package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.fault.FaultInjectingFileSystem.FaultRule;
import dev.lamina.store.fault.StoreVerifier.Bounds;
import dev.lamina.store.fault.StoreVerifier.Found;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.NioFileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fails one file-system call of a scripted workload at a time, for every call (sampled for the most frequent kinds
 * in CI). The failing call must surface as a clear {@link dev.lamina.store.LaminaIOException}, or be absorbed (a
 * failed cleanup, a flush that is retried); reads must keep returning the data written; and after a reopen on a
 * healthy disk the store must hold a prefix of the batches with every acknowledged commit, and accept writes again.
 */
class IoFaultTest {
    private static final boolean STRESS = Dirs.stress();
    /** CI runs every call of the rarer kinds and this many of each frequent kind. */
    private static final int SAMPLE = STRESS ? Integer.MAX_VALUE : 25;

    @TempDir
    Path tmp;

    private int runs;
    private final Map<String, Integer> outcomes = new java.util.TreeMap<>();

    static LaminaOptions options(FileSystem fs) {
        return LaminaOptions.builder().writeBufferSize(64 << 10).blockSize(1024).fileSystem(fs).build();
    }

    static Workload workload() {
        return Workload.builder().batches(STRESS ? 400 : 130).commitEvery(5).flushEvery(STRESS ? 150 : 60)
                .reopenEvery(STRESS ? 250 : 100).uncommittedTail(2).build();
    }

    @Test
    void aSingleFailedCallAnywhereFailsCleanlyAndTheStoreRecoversEveryAcknowledgedCommit() {
        Map<FileOp, Long> counts = countCalls();
        Random random = new Random(7);
        for (FileOp op : FileOp.values()) {
            for (long n : positions(counts.getOrDefault(op, 0L), random)) {
                runWithFault(FaultRule.nth(op, n), n % 2 == 0, "fail " + op + " #" + n + " once");
            }
        }
        report("single faults", counts);
    }

    @Test
    void aDeviceThatBreaksForGoodFailsCleanlyAndTheStoreRecoversOnAHealthyOne() {
        Map<FileOp, Long> counts = countCalls();
        Random random = new Random(11);
        for (FileOp op : FileOp.values()) {
            long count = counts.getOrDefault(op, 0L);
            for (int i = 0; i < (STRESS ? 30 : 4) && count > 0; i++) {
                long n = 1 + (long) (random.nextDouble() * count);
                runWithFault(FaultRule.fromNth(op, n), true, "fail " + op + " from #" + n + " on");
            }
        }
        report("persistent faults", counts);
    }

    private void report(String what, Map<FileOp, Long> counts) {
        System.out.printf("IoFaultTest %s: %d runs, calls per run %s, outcomes %s%n", what, runs, counts, outcomes);
        assertTrue(runs > 20, "too few runs: " + runs);
    }

    private Map<FileOp, Long> countCalls() {
        Path store = tmp.resolve("count");
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem(NioFileSystem.instance());
        try (WorkloadRunner runner = new WorkloadRunner(store, options(fs))) {
            runner.open();
            runner.run(workload());
        }
        Dirs.deleteRecursively(store);
        return new EnumMap<>(fs.counts());
    }

    /** Every position when there are few, else the first and last few and an even spread with random jitter. */
    private static List<Long> positions(long count, Random random) {
        TreeSet<Long> out = new TreeSet<>();
        if (count <= SAMPLE) {
            for (long n = 1; n <= count; n++) {
                out.add(n);
            }
        } else {
            for (long n = 1; n <= 5; n++) {
                out.add(n);
                out.add(count + 1 - n);
            }
            while (out.size() < SAMPLE) {
                out.add(1 + (long) (random.nextDouble() * count));
            }
        }
        return new ArrayList<>(out);
    }

    private void runWithFault(FaultRule rule, boolean partialWrites, String what) {
        runs++;
        Path store = tmp.resolve("run-" + runs);
        FaultInjectingFileSystem fs = new FaultInjectingFileSystem(NioFileSystem.instance()).add(rule)
                .partialWrites(partialWrites);
        WorkloadRunner runner = new WorkloadRunner(store, options(fs));
        RuntimeException failure = null;
        Workload.Step failedAt = null;
        try {
            runner.open();
            for (Workload.Step step : workload().steps()) {
                failedAt = step;
                runner.run(step);
            }
            failedAt = null;
        } catch (RuntimeException e) {
            failure = e;
        }
        if (failure != null) {
            String at = failedAt == null ? "first open" : failedAt.toString();
            FaultAssertions.assertClean(failure, FaultInjectingFileSystem.INJECTED, what + " at " + at);
            afterFailure(runner, fs, what + " at " + at);
            outcome("failed at " + (failedAt == null ? "OPEN" : failedAt.kind()));
        } else {
            outcome(fs.injected() == 0 ? "not reached" : "absorbed");
        }
        closeAfterFault(runner, what);
        fs.heal();
        Found found;
        try {
            found = StoreVerifier.verify(store, options(NioFileSystem.instance()),
                    new Bounds(runner.acked(), runner.started(), runner.acked()),
                    what + ", reopened on a healthy disk");
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": reopening on a healthy disk failed", e);
        }
        assertWritableAgain(store, found, what);
        Dirs.deleteRecursively(store);
    }

    private void outcome(String key) {
        outcomes.merge(key, 1, Integer::sum);
    }

    /**
     * While the fault may still be active: reads return what was written, and one more write and commit either
     * work or are refused cleanly. A batch whose write failed is retried first, so the batches stay a prefix.
     */
    private static void afterFailure(WorkloadRunner runner, FaultInjectingFileSystem fs, String what) {
        Lamina db = runner.db();
        if (db == null) {
            return; // the failure was in open: nothing is running
        }
        try {
            StoreVerifier.assertHolds(db, runner.written(), what + ", reading after the failure");
        } catch (RuntimeException e) {
            FaultAssertions.assertClean(e, FaultInjectingFileSystem.INJECTED, what + ", reading after the failure");
        }
        long next = runner.started() > runner.written() ? runner.started() : runner.written() + 1;
        try {
            runner.run(new Workload.Step(Workload.Kind.WRITE, next));
            runner.run(new Workload.Step(Workload.Kind.COMMIT, next));
        } catch (RuntimeException e) {
            FaultAssertions.assertClean(e, FaultInjectingFileSystem.INJECTED, what + ", writing after the failure");
        }
    }

    private static void closeAfterFault(WorkloadRunner runner, String what) {
        try {
            runner.close();
        } catch (RuntimeException e) {
            FaultAssertions.assertClean(e, FaultInjectingFileSystem.INJECTED, what + ", closing");
        }
    }

    /** The recovered store takes new batches and commits, and keeps them across another reopen. */
    static void assertWritableAgain(Path store, Found found, String what) {
        LaminaOptions healthy = options(NioFileSystem.instance());
        try (WorkloadRunner runner = new WorkloadRunner(store, healthy)) {
            runner.open();
            runner.resumeFrom(found.batch(), found.commit());
            for (long b = found.batch() + 1; b <= found.batch() + 3; b++) {
                runner.run(new Workload.Step(Workload.Kind.WRITE, b));
            }
            runner.run(new Workload.Step(Workload.Kind.COMMIT, found.batch() + 3));
        }
        StoreVerifier.verify(store, healthy, Bounds.exactly(found.batch() + 3, found.batch() + 3),
                what + ", written again after recovery");
    }
}
