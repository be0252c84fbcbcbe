package dev.lamina.benchmarks.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.benchmarks.commit.CommitIntervalRun.Result;
import dev.lamina.benchmarks.jmh.StoreKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit-interval run for 0.2 s per case: it still works end to end (not how fast it is). */
class CommitIntervalRunSmokeTest {
    @TempDir
    Path work;

    @Test
    void everyCaseRunsOnEveryStore() throws Exception {
        StoreKind[] stores = {StoreKind.LAMINA, StoreKind.ROCKSDB};
        List<Result> results = CommitIntervalRun.run(stores, 1, 200_000_000L, work);
        assertEquals(8, results.size());
        for (Result r : results) {
            assertTrue(r.puts() > 0, r.toString());
            assertTrue(r.intervalMs() > 200 || r.commits() > 0, "commits every 100 ms: " + r);
        }
        assertTrue(CommitIntervalRun.table(results, stores).contains("| LAMINA | 16 KiB |"));
    }
}
