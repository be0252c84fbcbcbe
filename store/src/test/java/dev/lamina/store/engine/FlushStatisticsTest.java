package dev.lamina.store.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a flush was counted after the threads waiting for it woke, so a caller of {@code flush()} could read
 * statistics without it (seen as {@code SlowDeletionTest} failing with 7 flushes of 8 on CI).
 */
class FlushStatisticsTest {
    @TempDir
    Path dir;

    @Test
    void aFlushIsCountedByTheTimeFlushReturns() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.builder().writeBufferSize(64 << 10).build())) {
            for (int n = 1; n <= 300; n++) {
                db.put(("key-" + n).getBytes(StandardCharsets.UTF_8), new byte[2048]);
                db.flush();
                assertEquals(n, db.statistics().flushes(), "after flush " + n);
            }
        }
    }
}
