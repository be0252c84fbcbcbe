package dev.lamina.benchmarks.amplification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.benchmarks.jmh.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overwrite comparison's quick mode as a smoke test: each store's run (2 MB of 1 KiB values, overwritten once)
 * in a child JVM of its own, and the report. It checks that the runs work and the counters are sane, not how
 * large they are.
 */
class OverwriteComparisonSmokeTest {
    @TempDir
    Path dir;

    @Test
    void everyStoreRunsInItsOwnJvmAndReports() throws Exception {
        OverwriteComparison.Plan plan = new OverwriteComparison.Plan(List.of(2_000_000L), List.of(1024), 1,
                List.of(StoreKind.LAMINA, StoreKind.ROCKSDB, StoreKind.ROCKSDB_BOUNDED), "256m", dir.resolve("state"));
        List<RunResult> seen = new ArrayList<>();
        List<RunResult> results = OverwriteComparison.run(plan, seen::add, rs -> { });
        assertEquals(3, results.size());
        assertEquals(results, seen);
        for (RunResult r : results) {
            assertEquals(2_000_000L / 1032, r.keys(), r.toString());
            assertTrue(r.writeAmpSyscall() > 0.5, "wchar covers at least the data: " + r);
            assertTrue(r.writeAmp() >= 0, r.toString());
            assertTrue(r.spaceAmpClosed() > 0.5, "the data is on disk after close: " + r);
            assertTrue(r.num("heapOpen") > 0 && r.num("rssPeak") > r.num("heapOpen") / 4, r.toString());
            assertTrue(r.overwritePutsPerSecond() > 0, r.toString());
        }
        AmplificationReport.write(results, dir, "smoke");
        assertTrue(Files.size(dir.resolve("smoke-1KiB.png")) > 0);
        assertTrue(Files.readString(dir.resolve("smoke.md")).contains("| 2 MB | Lamina |"));
        assertEquals(4, Files.readAllLines(dir.resolve("smoke.csv")).size());
        assertTrue(Files.list(dir.resolve("state")).noneMatch(p -> p.getFileName().toString().startsWith("lamina-amp")),
                "state directories are deleted");
    }

    @Test
    void sizesParseAndPrint() {
        assertEquals(100_000_000L, OverwriteComparison.parseSize("100MB"));
        assertEquals(1L << 30, OverwriteComparison.parseSize("1GiB"));
        assertEquals("100 MB", OverwriteComparison.sizeLabel(100_000_000L));
        assertEquals("2 GB", OverwriteComparison.sizeLabel(2_000_000_000L));
        assertEquals("1.5 GB", OverwriteComparison.sizeLabel(1_500_000_000L));
        assertEquals("64 MiB", OverwriteComparison.sizeLabel(64L << 20));
    }
}
