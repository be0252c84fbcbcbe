package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.fault.StoreVerifier.Bounds;
import dev.lamina.store.fault.StoreVerifier.Found;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.log.LogReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damages each kind of file of a closed store (the write-ahead log, the MANIFEST, CURRENT, the tables) by flipping
 * bytes and cutting it short at many places, then opens it and reads everything. Accepted: every read correct; a
 * write-ahead log that lost records only where a torn write could have (see {@link WalLayout} and
 * docs/reliability.md); or a {@link CorruptionException} naming the damaged file, which a second open reports again.
 * Anything else (a wrong value, a committed value silently missing, another exception) fails the test.
 */
class CorruptionTest {
    private static final boolean STRESS = Dirs.stress();

    @TempDir
    Path tmp;

    private final Map<String, Integer> outcomes = new TreeMap<>();
    private int trials;

    static LaminaOptions options() {
        // No automatic compaction: the fixture keeps every flushed table, however fast the background work ran.
        return LaminaOptions.builder().writeBufferSize(64 << 10).blockSize(1024).level0CompactionTrigger(100)
                .level0SlowdownTrigger(200).level0StopTrigger(300).build();
    }

    /** A closed store with tables, a manifest with several edits, and a log; last record a batch or a commit. */
    private Fixture build(boolean endsWithCommit) {
        Workload workload = Workload.builder().batches(600).commitEvery(2).flushEvery(250).reopenEvery(400)
                .uncommittedTail(endsWithCommit ? 0 : 5).checks(false).build();
        Path dir = tmp.resolve(endsWithCommit ? "pristine-commit" : "pristine-batch");
        try (WorkloadRunner runner = new WorkloadRunner(dir, options())) {
            runner.open();
            runner.run(workload);
        }
        return new Fixture(dir, workload);
    }

    private static final class Fixture {
        final Path dir;
        final Found full;
        final Path log;
        final WalLayout wal;
        final Found beforeLog;

        Fixture(Path dir, Workload workload) {
            this.dir = dir;
            long last = workload.lastBatch();
            this.full = new Found(last, workload.commitAtOrBefore(last));
            List<Path> logs = filesEndingWith(dir, ".log");
            assertEquals(1, logs.size(), "fixture should have one log: " + logs);
            this.log = logs.get(0);
            this.wal = new WalLayout(log);
            this.beforeLog = withoutLog(dir, log);
        }

        /** What the tables hold without the log: open a copy of the store whose log was removed. */
        private static Found withoutLog(Path dir, Path log) {
            Path copy = dir.resolveSibling(dir.getFileName() + "-without-log");
            Dirs.copy(dir, copy);
            try {
                Files.delete(copy.resolve(log.getFileName()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return StoreVerifier.verify(copy, options(), new StoreVerifier.Bounds(0, Long.MAX_VALUE, 0),
                    "store without its log");
        }

        /** The log must hold enough to damage: a closed store's log ends with a commit (close flushes the rest). */
        void checkLog() {
            assertEquals(full, wal.stateAfter(wal.entries.size(), beforeLog), "fixture log does not add up");
            assertTrue(wal.entries.size() > 20, "fixture log too short: " + wal.entries.size());
        }
    }

    private static List<Path> filesEndingWith(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void damagedWriteAheadLogLosesOnlyWhatATornWriteCouldOrIsReported() {
        Fixture f = build(true);
        f.checkLog();
        Random random = new Random(1);
        WalLayout wal = f.wal;
        List<Damage> damages = new ArrayList<>();
        int samples = STRESS ? 400 : 40;
        for (int i = 0; i < samples; i++) {
            damages.add(Damage.flip((long) (random.nextDouble() * wal.size), 1 + random.nextInt(255)));
            damages.add(Damage.truncate((long) (random.nextDouble() * wal.size)));
            // The last record, where a flip may be taken for a torn write.
            long lastStart = wal.lastRecordOffset();
            damages.add(Damage.flip(lastStart + (long) (random.nextDouble() * (wal.size - lastStart)),
                    1 + random.nextInt(255)));
        }
        for (Damage d : damages) {
            Set<Found> allowed = new java.util.HashSet<>();
            allowed.add(f.full);
            if (d.kind() == Damage.Kind.TRUNCATE) {
                for (int c = wal.completeBefore(d.position()); c <= wal.startedBefore(d.position()); c++) {
                    allowed.add(wal.stateAfter(c, f.beforeLog));
                }
                allowed.remove(f.full);
                if (d.position() >= wal.size) {
                    allowed.add(f.full);
                }
            } else if (d.position() >= wal.lastRecordOffset()) {
                allowed.add(wal.stateAfter(wal.entries.size() - 1, f.beforeLog));
            }
            trial(f, f.log.getFileName().toString(), d, allowed);
        }
        report("write-ahead log");
    }

    @ParameterizedTest(name = "last record a commit: {0}")
    @ValueSource(booleans = {false, true})
    void damageToAManifestEditFollowedByAnotherIsReported(boolean endsWithCommit) {
        Fixture f = build(endsWithCommit);
        Path manifest = manifestOf(f.dir);
        long lastEdit = lastRecordOffset(manifest);
        Random random = new Random(3);
        for (int i = 0; i < (STRESS ? 300 : 40); i++) {
            trial(f, manifest.getFileName().toString(),
                    Damage.flip((long) (random.nextDouble() * lastEdit), 1 + random.nextInt(255)), Set.of(f.full));
        }
        report("manifest before its last edit");
    }

    /**
     * A flip in the last edit, or a cut anywhere, looks like a crash during a manifest append and the edit is
     * dropped; but the edit was durable and the engine acted on it (deleted the logs it made obsolete), so the store
     * opens without that edit's table and serves older values.
     */
    @ParameterizedTest(name = "last record a commit: {0}")
    @ValueSource(booleans = {false, true})
    void damageToTheLastManifestEditOrACutManifestIsReportedNotSilentlyRolledBack(boolean endsWithCommit) {
        Fixture f = build(endsWithCommit);
        Path manifest = manifestOf(f.dir);
        long size = manifest.toFile().length();
        long lastEdit = lastRecordOffset(manifest);
        Random random = new Random(5);
        for (int i = 0; i < (STRESS ? 200 : 20); i++) {
            trial(f, manifest.getFileName().toString(),
                    Damage.flip(lastEdit + (long) (random.nextDouble() * (size - lastEdit)), 1 + random.nextInt(255)),
                    Set.of(f.full));
            trial(f, manifest.getFileName().toString(), Damage.truncate((long) (random.nextDouble() * size)),
                    Set.of(f.full));
        }
        report("manifest's last edit");
    }

    private static Path manifestOf(Path dir) {
        return filesEndingWith(dir, "").stream().filter(p -> p.getFileName().toString().startsWith("MANIFEST-"))
                .findFirst().orElseThrow();
    }

    private static long lastRecordOffset(Path logFormatFile) {
        try (ReadableFile file = NioFileSystem.instance().openReadable(logFormatFile);
             LogReader reader = new LogReader(file)) {
            while (reader.readRecord() != null) {
                // to the end
            }
            return reader.lastRecordOffset();
        }
    }

    @Test
    void damagedCurrentIsReported() {
        Fixture f = build(false);
        Path current = f.dir.resolve("CURRENT");
        long size = current.toFile().length();
        for (long at = 0; at < size; at++) {
            for (int mask : new int[] {0x01, 0x10, 0x80, 0xff}) {
                trial(f, "CURRENT", Damage.flip(at, mask), Set.of(f.full));
            }
            trial(f, "CURRENT", Damage.truncate(at), Set.of(f.full));
        }
        report("CURRENT");
    }

    @Test
    void damagedTablesAreReportedWhenRead() {
        Fixture f = build(false);
        List<Path> tables = filesEndingWith(f.dir, ".sst");
        assertTrue(tables.size() >= 3, "fixture has too few tables: " + tables);
        Random random = new Random(4);
        for (Path table : tables) {
            damageEverywhere(f, table, random, STRESS ? 100 : 8);
        }
        report("tables");
    }

    /** Flips and cuts at random places, and at the first and last bytes, of a file that must not lose anything. */
    private void damageEverywhere(Fixture f, Path file, Random random, int samples) {
        long size = file.toFile().length();
        String name = file.getFileName().toString();
        List<Damage> damages = new ArrayList<>(List.of(Damage.flip(0, 0x01), Damage.flip(size - 1, 0x80),
                Damage.truncate(0), Damage.truncate(size - 1)));
        for (int i = 0; i < samples; i++) {
            damages.add(Damage.flip((long) (random.nextDouble() * size), 1 + random.nextInt(255)));
            if (i % 2 == 0) {
                damages.add(Damage.truncate((long) (random.nextDouble() * size)));
            }
        }
        for (Damage d : damages) {
            trial(f, name, d, Set.of(f.full));
        }
    }

    /**
     * Copies the fixture, damages {@code file}, opens and reads everything. The store must be in one of the
     * {@code allowed} states, or report a CorruptionException naming the file, again on a second open.
     */
    private void trial(Fixture f, String file, Damage damage, Set<Found> allowed) {
        trials++;
        Path dir = tmp.resolve("trial-" + trials);
        Dirs.copy(f.dir, dir);
        damage.applyTo(dir.resolve(file));
        String what = file + " " + damage;
        try {
            Found found = StoreVerifier.verify(dir, options(), new Bounds(0, f.full.batch(), 0), what);
            if (!allowed.contains(found)) {
                throw new AssertionError(what + ": store opened holding batches 1.." + found.batch() + " committed "
                        + found.commit() + " but only " + allowed + " are acceptable (intact: " + f.full + ")");
            }
            outcome(file, found.equals(f.full) ? "read intact" : "torn tail dropped");
        } catch (CorruptionException e) {
            assertNamesFile(e, dir.resolve(file), damage, what);
            CorruptionException again = null;
            try {
                StoreVerifier.verify(dir, options(), new Bounds(0, f.full.batch(), 0), what + " (second open)");
            } catch (CorruptionException e2) {
                again = e2;
            }
            if (again == null) {
                throw new AssertionError(what + ": reported corruption once (" + e.getMessage()
                        + "), then opened and read without error on the second try", e);
            }
            outcome(file, "corruption reported");
        } finally {
            Dirs.deleteRecursively(dir);
        }
    }

    private static void assertNamesFile(CorruptionException e, Path file, Damage damage, String what) {
        if (e.file() == null || !e.file().getFileName().equals(file.getFileName())) {
            throw new AssertionError(what + ": corruption reported against " + e.file() + ": " + e.getMessage(), e);
        }
        if (damage.kind() == Damage.Kind.FLIP && e.offset() > damage.position()
                && !file.getFileName().toString().endsWith(".sst")) {
            throw new AssertionError(what + ": corruption reported at offset " + e.offset() + ", after the damage",
                    e);
        }
    }

    private void outcome(String file, String what) {
        String kind = file.endsWith(".log") ? "log" : file.endsWith(".sst") ? "sst" : file.startsWith("MANIFEST")
                ? "MANIFEST" : file;
        outcomes.merge(kind + ": " + what, 1, Integer::sum);
    }

    private void report(String what) {
        System.out.printf("CorruptionTest %s: %d damaged copies, outcomes %s%n", what, trials, outcomes);
    }
}
