package dev.lamina.benchmarks.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.benchmarks.driver.DriverRun.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver run on a hundredth of its input, one round: it still works end to end (not how fast it is). */
class DriverRunSmokeTest {
    @TempDir
    Path work;

    @Test
    void everyTopologyRunsOnEveryStore() throws Exception {
        List<Result> results = DriverRun.run(100, 1, DriverRun.Store.values(), work);
        assertEquals(DriverRun.Shape.values().length * DriverRun.Store.values().length, results.size());
        for (Result r : results) {
            assertTrue(r.recordsPerSecond() > 0, r.toString());
        }
        String table = DriverRun.table(results);
        assertTrue(table.contains("| count of 100 B records | 1,000 | 1 |"), table);
    }
}
