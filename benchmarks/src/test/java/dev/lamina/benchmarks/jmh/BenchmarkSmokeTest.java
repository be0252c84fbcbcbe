package dev.lamina.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's quick mode as a smoke test: every benchmark on every store runs (in this JVM, tiny data set, a
 * fraction of a second each) and the report is written. It checks that the benchmarks still run, not how fast.
 */
class BenchmarkSmokeTest {
    @TempDir
    Path out;

    @Test
    void everyBenchmarkRunsOnEveryStore() throws Exception {
        List<Row> rows = BenchmarkSuite.run(BenchmarkSuite.options(0, 0, 0.1, 1).forks(0), "SMOKE");
        assertEquals(6 * 4 * 3, rows.size());
        rows.forEach(r -> assertTrue(r.score() > 0, r.toString()));
        Report.write(rows, out, "smoke");
        assertTrue(Files.size(out.resolve("smoke.png")) > 0);
        assertTrue(Files.readString(out.resolve("smoke.md")).contains("| SMOKE | getHit | 100 B |"));
    }
}
