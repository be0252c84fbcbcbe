package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CommitSync;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.fault.StoreVerifier.Bounds;
import dev.lamina.store.fault.StoreVerifier.Found;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.NioFileSystem;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cuts the power at every sync point of a scripted workload (writes, commits, flushes, reopens) and checks each
 * surviving state: it must open, hold exactly a prefix of the batches, and hold every acknowledged commit. Each sync
 * point gives a state where only synced bytes and synced directory entries survive, one where a random part of the
 * unsynced tail survives too, and (every few points) a process crash. A sample of the states is recovered on a file
 * system that crashes again at every sync point of the recovery.
 */
class PowerLossTest {
    private static final boolean STRESS = Dirs.stress();
    private static final long SEED = Long.getLong("lamina.seed", 20261121L);

    @TempDir
    Path tmp;

    private final Map<CrashKind, Integer> checked = new EnumMap<>(CrashKind.class);
    private int nestedChecked;

    static LaminaOptions options(FileSystem fs) {
        return options(fs, CommitSync.ALWAYS);
    }

    /**
     * Under {@link CommitSync#INTERVAL} the background sync never runs within the test (its interval is an hour),
     * so the sync points are those of switches, flushes and closes, in the same order every run.
     */
    static LaminaOptions options(FileSystem fs, CommitSync sync) {
        return LaminaOptions.builder().writeBufferSize(64 << 10).blockSize(1024).fileSystem(fs).commitSync(sync)
                .commitSyncIntervalMillis(3_600_000).build();
    }

    /**
     * The oldest commit a crash of {@code kind} must keep. Under {@link CommitSync#INTERVAL} a power loss may lose
     * the commits not yet synced; the last one acknowledged before the store was last closed is surely synced.
     */
    private static long mustKeep(CommitSync sync, CrashKind kind, WorkloadRunner runner) {
        return sync == CommitSync.ALWAYS || kind == CrashKind.PROCESS_CRASH ? runner.acked()
                : runner.ackedBeforeClose();
    }

    static Workload workload() {
        return Workload.builder().batches(STRESS ? 4000 : 1100).commitEvery(7).flushEvery(STRESS ? 400 : 300)
                .reopenEvery(STRESS ? 1100 : 450).uncommittedTail(5).build();
    }

    private record Pending(String name, Path image, Bounds bounds, boolean nested) {
    }

    @ParameterizedTest(name = "commit sync {0}")
    @EnumSource(CommitSync.class)
    void everySyncPointOfTheWorkloadRecoversAPrefixHoldingEveryCommitItMustKeep(CommitSync sync) {
        // Under INTERVAL commits sync nothing: the sync points are the switches', flushes' and closes'.
        walkSyncPoints(sync, workload(), "store", sync == CommitSync.ALWAYS ? 200 : 100);
    }

    /** A Kafka Streams task's life: restore without the log, commit, then process with the log. */
    @ParameterizedTest(name = "commit sync {0}")
    @EnumSource(CommitSync.class)
    void everySyncPointOfARestoreThenProcessingRecoversAPrefixHoldingEveryCommitItMustKeep(CommitSync sync) {
        walkSyncPoints(sync, Workload.builder().restored(STRESS ? 2000 : 500).batches(STRESS ? 3000 : 700).commitEvery(9)
                .flushEvery(STRESS ? 700 : 650).reopenEvery(STRESS ? 2500 : 600).uncommittedTail(3).build(),
                "restored", 60);
    }

    private void walkSyncPoints(CommitSync sync, Workload workload, String name, int minSyncPoints) {
        Random random = new Random(SEED);
        Path store = tmp.resolve(name);
        PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
        Queue<Pending> pending = new ArrayDeque<>();
        WorkloadRunner runner = new WorkloadRunner(store, options(fs, sync));
        int nestedEvery = STRESS ? 1 : 8;
        fs.onSyncPoint((index, what) -> {
            for (CrashKind kind : CrashKind.values()) {
                if (kind == CrashKind.PROCESS_CRASH && index % 4 != 0) {
                    continue;
                }
                Path image = tmp.resolve("crash-" + index + "-" + kind);
                fs.writeImage(store, image, kind, random);
                // Only commits are promised, for every kind of crash: the WAL buffers writes in the process until
                // a commit hands them to the OS (so a process crash may lose the writes since the last commit too).
                long min = mustKeep(sync, kind, runner);
                pending.add(new Pending("sync point " + index + " (" + what + "), " + kind, image,
                        new Bounds(min, runner.started(), min),
                        kind == CrashKind.POWER_LOSS && index % nestedEvery == 0));
            }
        });
        runner.open();
        try {
            for (Workload.Step step : workload.steps()) {
                runner.run(step);
                drain(pending);
            }
        } finally {
            runner.close();
        }
        drain(pending);
        long syncPoints = fs.syncPoints();
        int total = checked.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("PowerLossTest " + name + ": %d sync points, %d crash states checked %s, %d more during recovery%n",
                syncPoints, total, checked, nestedChecked);
        assertTrue(syncPoints >= minSyncPoints, "workload too small to mean much: " + syncPoints + " sync points");
        assertEquals(syncPoints, (long) checked.get(CrashKind.POWER_LOSS));
    }

    private void drain(Queue<Pending> pending) {
        for (Pending p = pending.poll(); p != null; p = pending.poll()) {
            if (p.nested()) {
                verifyWithCrashesDuringRecovery(p);
            } else {
                StoreVerifier.verify(p.image(), options(NioFileSystem.instance()), p.bounds(), p.name());
            }
            checked.merge(kindOf(p), 1, Integer::sum);
            Dirs.deleteRecursively(p.image());
        }
    }

    private static CrashKind kindOf(Pending p) {
        for (CrashKind k : CrashKind.values()) {
            if (p.name().endsWith(k.name())) {
                return k;
            }
        }
        throw new AssertionError(p.name());
    }

    /**
     * Recovers the image on a file system that records a crash state at each sync point of the recovery itself;
     * each of those must recover to exactly what the uninterrupted recovery found.
     */
    private void verifyWithCrashesDuringRecovery(Pending p) {
        PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
        List<Path> images = new ArrayList<>();
        fs.onSyncPoint((index, what) -> {
            Path image = p.image().resolveSibling(p.image().getFileName() + "-recovery-" + index);
            fs.writeImage(p.image(), image, CrashKind.POWER_LOSS, null);
            images.add(image);
        });
        Found found = StoreVerifier.verify(p.image(), options(fs), p.bounds(), p.name());
        for (Path image : images) {
            StoreVerifier.verify(image, options(NioFileSystem.instance()),
                    Bounds.exactly(found.batch(), found.commit()),
                    p.name() + ", then a crash during recovery at " + image.getFileName());
            Dirs.deleteRecursively(image);
            nestedChecked++;
        }
    }

    @ParameterizedTest(name = "commit sync {0}")
    @EnumSource(CommitSync.class)
    void cuttingThePowerInPlaceKillsTheStoreAndLeavesADirectoryThatRecovers(CommitSync sync) {
        Random random = new Random(SEED + 1);
        Workload workload = workload();
        long total;
        {
            PowerLossFileSystem counting = new PowerLossFileSystem(NioFileSystem.instance());
            Path store = tmp.resolve("count");
            try (WorkloadRunner runner = new WorkloadRunner(store, options(counting, sync))) {
                runner.open();
                runner.run(workload);
                // The cut falls while the workload runs: a close reports a failed final sync only in its log.
                total = counting.syncPoints();
            }
        }
        for (int trial = 0; trial < (STRESS ? 40 : 6); trial++) {
            long cut = (long) (random.nextDouble() * total);
            Path store = tmp.resolve("cut-" + trial);
            PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
            fs.cutAt(cut);
            WorkloadRunner runner = new WorkloadRunner(store, options(fs, sync));
            RuntimeException failure = null;
            try {
                runner.open();
                runner.run(workload);
                // A cut in background work (a flush under INTERVAL, whose commits sync nothing) reaches the caller
                // at its next I/O: one more commit, of the same metadata.
                runner.db().commit(Batches.encode(runner.acked()));
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                runner.close();
            }
            assertTrue(fs.isDead(), "power was not cut at sync point " + cut);
            assertTrue(failure instanceof LaminaIOException, "the store reported the cut with " + failure);
            CrashKind kind = trial % 2 == 0 ? CrashKind.POWER_LOSS : CrashKind.POWER_LOSS_TORN_TAIL;
            // A cut during an open leaves that open's cleanup task running (see FailedOpenTest); once the power is
            // back it could delete files of the next open.
            fs.restore(store, kind, random);
            long min = mustKeep(sync, kind, runner);
            StoreVerifier.verify(store, options(fs), new Bounds(min, runner.started(), min),
                    "power cut at sync point " + cut + " (" + kind + ")");
        }
    }
}
