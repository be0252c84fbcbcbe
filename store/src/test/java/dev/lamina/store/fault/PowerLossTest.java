package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        return LaminaOptions.builder().writeBufferSize(64 << 10).blockSize(1024).fileSystem(fs).build();
    }

    static Workload workload() {
        return Workload.builder().batches(STRESS ? 4000 : 1100).commitEvery(7).flushEvery(STRESS ? 400 : 300)
                .reopenEvery(STRESS ? 1100 : 450).uncommittedTail(5).build();
    }

    private record Pending(String name, Path image, Bounds bounds, boolean nested) {
    }

    @Test
    void everySyncPointOfTheWorkloadRecoversAPrefixHoldingEveryAcknowledgedCommit() {
        walkSyncPoints(workload(), "store", 200);
    }

    /** A Kafka Streams task's life: restore without the log, commit, then process with the log. */
    @Test
    void everySyncPointOfARestoreThenProcessingRecoversAPrefixHoldingEveryAcknowledgedCommit() {
        walkSyncPoints(Workload.builder().restored(STRESS ? 2000 : 500).batches(STRESS ? 3000 : 700).commitEvery(9)
                .flushEvery(STRESS ? 700 : 650).reopenEvery(STRESS ? 2500 : 600).uncommittedTail(3).build(),
                "restored", 60);
    }

    private void walkSyncPoints(Workload workload, String name, int minSyncPoints) {
        Random random = new Random(SEED);
        Path store = tmp.resolve(name);
        PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
        Queue<Pending> pending = new ArrayDeque<>();
        WorkloadRunner runner = new WorkloadRunner(store, options(fs));
        int nestedEvery = STRESS ? 1 : 8;
        fs.onSyncPoint((index, what) -> {
            for (CrashKind kind : CrashKind.values()) {
                if (kind == CrashKind.PROCESS_CRASH && index % 4 != 0) {
                    continue;
                }
                Path image = tmp.resolve("crash-" + index + "-" + kind);
                fs.writeImage(store, image, kind, random);
                // Only commits are promised, for every kind of crash: the WAL buffers writes in the process until
                // a commit syncs them (so a process crash may lose the writes since the last commit too).
                long min = runner.acked();
                pending.add(new Pending("sync point " + index + " (" + what + "), " + kind, image,
                        new Bounds(min, runner.started(), runner.acked()),
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

    @Test
    void cuttingThePowerInPlaceKillsTheStoreAndLeavesADirectoryThatRecovers() {
        Random random = new Random(SEED + 1);
        Workload workload = workload();
        long total;
        {
            PowerLossFileSystem counting = new PowerLossFileSystem(NioFileSystem.instance());
            Path store = tmp.resolve("count");
            try (WorkloadRunner runner = new WorkloadRunner(store, options(counting))) {
                runner.open();
                runner.run(workload);
            }
            total = counting.syncPoints();
        }
        for (int trial = 0; trial < (STRESS ? 40 : 6); trial++) {
            long cut = (long) (random.nextDouble() * total);
            Path store = tmp.resolve("cut-" + trial);
            PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
            fs.cutAt(cut);
            WorkloadRunner runner = new WorkloadRunner(store, options(fs));
            RuntimeException failure = null;
            try {
                runner.open();
                runner.run(workload);
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
            StoreVerifier.verify(store, options(fs), new Bounds(runner.acked(), runner.started(), runner.acked()),
                    "power cut at sync point " + cut + " (" + kind + ")");
        }
    }
}
