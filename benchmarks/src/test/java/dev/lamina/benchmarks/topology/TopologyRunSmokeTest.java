package dev.lamina.benchmarks.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.benchmarks.topology.TopologyRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology run's quick mode as a smoke test: one broker, tiny inputs, both topologies on every store kind, one
 * round, and the report written. It checks that the run still works end to end, not how fast it is.
 */
class TopologyRunSmokeTest {
    @TempDir
    Path out;

    @Test
    void bothTopologiesRunOnEveryStore() throws Exception {
        TopologySettings q = TopologySettings.quick();
        TopologySettings s = new TopologySettings(q.aggKeys(), q.aggRecords(), q.fragmentBytes(),
                q.aggregateBytes(), q.docs(), q.docBytes(), q.events(), q.eventBytes(), q.docUpdateEvery(), 1,
                q.workloads(), q.stores(), out, "smoke");
        List<Result> results = TopologyRun.run(s);
        assertEquals(Workload.values().length * TopologyStore.values().length, results.size());
        for (Result r : results) {
            assertTrue(r.complete(), r.toString());
            assertTrue(r.recordsPerSecond() > 0, r.toString());
            assertTrue(r.stateDirBytes() > 0, r.toString());
            assertEquals(s.inputRecords(r.workload()), r.inputRecords(), r.toString());
        }
        TopologyReport.write(results, s);
        assertTrue(Files.size(out.resolve("smoke.png")) > 0);
        String table = Files.readString(out.resolve("smoke.md"));
        assertTrue(table.contains("| AGGREGATE | 2,000 | 1 |"), table);
        assertTrue(table.contains("| JOIN |"), table);
    }
}
