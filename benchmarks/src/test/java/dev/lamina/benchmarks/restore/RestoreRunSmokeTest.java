package dev.lamina.benchmarks.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore run's quick mode as a smoke test: a broker in this JVM, the restore from empty of a tiny changelog
 * (100 B and 16 KiB values) on every store, and one kill -9 cycle of Lamina under at_least_once (commit every
 * second), each application in a child JVM. It checks that the run works and its figures are sane, not how fast.
 */
class RestoreRunSmokeTest {
    @TempDir
    Path out;

    @Test
    void quickModeRestoresEveryStoreAndSurvivesOneKill() throws Exception {
        System.setProperty("bench.mode", "quick");
        System.setProperty("bench.out", out.toString());
        System.setProperty("bench.parts", "empty,alos");
        Settings settings;
        try {
            settings = Settings.fromSystemProperties();
        } finally {
            System.clearProperty("bench.mode");
            System.clearProperty("bench.out");
            System.clearProperty("bench.parts");
        }
        List<RunResult> results = RestoreRun.run(settings);
        assertEquals(2 * 3 + 1, results.size(), results.toString());
        for (RunResult r : results) {
            if (r.part().equals("empty")) {
                // every record of the changelog restored into the empty store
                assertEquals(r.processed(), r.restored(), r.toString());
                assertEquals(0, r.restoreFrom(), r.toString());
                assertTrue(r.restoreMillis() > 0, r.toString());
            } else {
                assertTrue(r.processed() > 0, r.toString());
                assertTrue(r.changelogEnd() > 0, r.toString());
                assertTrue(r.restoreFrom() <= r.changelogEnd(), r.toString());
            }
            assertTrue(r.readyMillis() > 0, r.toString());
        }
        RestoreReport.write(results, settings);
        assertTrue(Files.size(out.resolve("restore-run-quick.png")) > 0);
        String md = Files.readString(out.resolve("restore-run-quick.md"));
        assertTrue(md.contains("| 16 KiB |") && md.contains("| at_least_once | Lamina |"), md);
    }
}
