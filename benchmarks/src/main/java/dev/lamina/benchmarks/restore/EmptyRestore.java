package dev.lamina.benchmarks.restore;

import dev.lamina.benchmarks.Directories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Restore from an empty state directory. Per value size (100 B, 16 KiB): N input records with unique keys are
 * written, the application processes them once (with Kafka's in-memory store, which writes the same changelog as
 * any other store) and closes, leaving a changelog of N records and the input fully committed. Then, per round and
 * store, the application starts with the same application id on a new, empty state directory: it restores the
 * store from the changelog and, once the task is ready (nothing left to process), closes cleanly.
 */
final class EmptyRestore {
    private static final long TIMEOUT_MS = 15 * 60 * 1000L;

    private final RestoreRun run;

    EmptyRestore(RestoreRun run) {
        this.run = run;
    }

    List<RunResult> run() throws Exception {
        Settings s = run.settings();
        List<RunResult> results = new ArrayList<>();
        for (int valueSize : new int[] {100, 16 * 1024}) {
            long records = valueSize == 100 ? s.emptySmall() : s.emptyLarge();
            if (records <= 0) {
                continue;
            }
            String app = "empty-" + valueSize;
            String input = app + "-input";
            long changelogEnd = build(app, input, valueSize, records);
            for (int round = 0; round < s.rounds(); round++) {
                for (StoreChoice store : RestoreRun.rotated(s.stores(), round)) {
                    results.add(restore(app, input, store, valueSize, round, records, changelogEnd));
                }
            }
        }
        return results;
    }

    /** Writes the input and lets the application turn it into the changelog once; returns the changelog's end. */
    private long build(String app, String input, int valueSize, long records) throws Exception {
        long start = System.nanoTime();
        run.createTopic(input);
        try (RecordSource source = new RecordSource(run.bootstrap(), valueSize, valueSize)) {
            source.produceUnique(input, records);
        }
        Path state = run.newDir("state-" + app + "-build");
        try (ChildJvm child = ChildJvm.start(run.appArgs(app, state, StoreChoice.IN_MEMORY, input, "at_least_once",
                null), RestoreRun.CHILD_HEAP, run.log(app + "-build"))) {
            child.awaitProcessed(records, TIMEOUT_MS);
            child.stop();
        }
        Directories.deleteRecursively(state);
        long end = run.endOffset(RestoreApp.changelog(app));
        if (end < records) {
            throw new IllegalStateException("changelog of " + app + " has " + end + " records, expected " + records);
        }
        System.out.printf("restore from empty, %d-byte values: changelog of %,d records written in %.1f s%n",
                valueSize, end, (System.nanoTime() - start) / 1e9);
        return end;
    }

    private RunResult restore(String app, String input, StoreChoice store, int valueSize, int round, long records,
            long changelogEnd) throws Exception {
        Path state = run.newDir("state-" + app);
        try (ChildJvm child = ChildJvm.start(run.appArgs(app, state, store, input, "at_least_once", null),
                RestoreRun.CHILD_HEAP, run.log(app + "-" + store + "-" + round))) {
            child.awaitReady(TIMEOUT_MS);
            child.stop();
            RunResult r = new RunResult("empty", "at_least_once", store, valueSize, round, 0, records, -1,
                    changelogEnd, child.restoreFrom() < 0 ? changelogEnd : child.restoreFrom(), child.restored(),
                    child.restoreMillis(), child.readyMillis(), child.corruptedTaskLine() != null,
                    Directories.bytes(state));
            System.out.printf("round %d %-24s %6s: %,d records restored in %.2f s (%,.0f records/s); ready %.2f s"
                            + " after the JVM started; state directory %.1f MB%n", round, store.label(),
                    r.valueLabel(), r.restored(), r.restoreMillis() / 1e3, r.restored() / (r.restoreMillis() / 1e3),
                    r.readyMillis() / 1e3, r.stateDirBytes() / 1e6);
            return r;
        } finally {
            Directories.deleteRecursively(state);
        }
    }
}
