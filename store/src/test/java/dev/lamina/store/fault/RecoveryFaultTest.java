package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.LaminaOptions;
import dev.lamina.store.fault.FaultInjectingFileSystem.FaultRule;
import dev.lamina.store.fault.StoreVerifier.Bounds;
import dev.lamina.store.fault.StoreVerifier.Found;
import dev.lamina.store.io.NioFileSystem;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fails one call at a time of a recovery that has real work to do: a killed process left a write-ahead log of
 * several memtables, which the recovery replays into tables. Whatever call fails, the open must fail cleanly (or
 * absorb the failure) and leave the directory so that the next open on a healthy disk recovers exactly what an
 * undisturbed recovery does: a failed recovery may not lose or invent anything.
 */
class RecoveryFaultTest {
    private static final boolean STRESS = Dirs.stress();

    @TempDir
    Path tmp;

    /** A small write buffer at recovery, so that the one log is replayed into several tables. */
    static LaminaOptions recoveryOptions(dev.lamina.store.io.FileSystem fs) {
        return LaminaOptions.builder().writeBufferSize(64 << 10).blockSize(1024).fileSystem(fs).build();
    }

    @Test
    void aFailedCallDuringLogReplayLeavesAStoreThatRecoversExactlyTheSameLater() {
        Path image = crashedStore();
        Path clean = tmp.resolve("clean");
        Dirs.copy(image, clean);
        FaultInjectingFileSystem counting = new FaultInjectingFileSystem(NioFileSystem.instance());
        Found expected = StoreVerifier.verify(clean, recoveryOptions(counting), new Bounds(0, Long.MAX_VALUE, 0),
                "undisturbed recovery");
        Map<FileOp, Long> counts = counting.counts();
        assertTrue(counting.count(FileOp.CREATE) > 4, "recovery wrote too few tables to mean much: " + counts);

        Random random = new Random(13);
        Map<String, Integer> outcomes = new TreeMap<>();
        int runs = 0;
        for (FileOp op : FileOp.values()) {
            long count = counts.getOrDefault(op, 0L);
            int sample = STRESS ? Integer.MAX_VALUE : 12;
            for (long n = 1; n <= count; n++) {
                if (count > sample && n > 3 && n < count - 2 && random.nextInt((int) count) >= sample) {
                    continue;
                }
                runs++;
                Path dir = tmp.resolve("run-" + runs);
                Dirs.copy(image, dir);
                String what = "recovery with " + op + " #" + n + " failing";
                FaultInjectingFileSystem fs = new FaultInjectingFileSystem(NioFileSystem.instance())
                        .add(FaultRule.nth(op, n)).partialWrites(n % 2 == 0);
                try {
                    StoreVerifier.verify(dir, recoveryOptions(fs), Bounds.exactly(expected.batch(), expected.commit()),
                            what);
                    outcomes.merge(fs.injected() == 0 ? "not reached" : "absorbed", 1, Integer::sum);
                } catch (RuntimeException e) {
                    FaultAssertions.assertClean(e, FaultInjectingFileSystem.INJECTED, what);
                    outcomes.merge("open failed cleanly", 1, Integer::sum);
                }
                StoreVerifier.verify(dir, recoveryOptions(NioFileSystem.instance()),
                        Bounds.exactly(expected.batch(), expected.commit()), what + ", then a healthy open");
                Dirs.deleteRecursively(dir);
            }
        }
        System.out.printf("RecoveryFaultTest: %d runs, calls per recovery %s, outcomes %s%n", runs, counts, outcomes);
        assertEquals(runs, outcomes.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** What a killed process leaves: one log holding about 300 KiB of batches and commits, nothing flushed. */
    private Path crashedStore() {
        Path store = tmp.resolve("writer");
        PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
        LaminaOptions big = LaminaOptions.builder().writeBufferSize(16 << 20).fileSystem(fs).build();
        Workload workload = Workload.builder().batches(500).commitEvery(10).uncommittedTail(4).checks(false).build();
        Path image = tmp.resolve("crashed");
        try (WorkloadRunner runner = new WorkloadRunner(store, big)) {
            runner.open();
            runner.run(workload);
            fs.writeImage(store, image, CrashKind.PROCESS_CRASH, null);
        }
        return image;
    }
}
