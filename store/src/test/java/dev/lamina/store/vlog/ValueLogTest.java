package dev.lamina.store.vlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaIterator;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.Snapshot;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The value log seen through the store: separation, garbage collection, space, and damage. */
class ValueLogTest {
    @TempDir
    Path dir;

    private static byte[] key(int i) {
        return String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i, int round, int size) {
        byte[] v = new byte[size];
        new Random(i * 31L + round).nextBytes(v);
        return v;
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private long directoryBytes() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void valuesAtTheThresholdMoveToTheValueLogAndSmallerOnesStayInline() throws IOException {
        LaminaOptions options = LaminaOptions.builder().valueThreshold(1024).build();
        try (Lamina db = Lamina.open(dir, options)) {
            db.put(key(1), value(1, 0, 1023));
            db.flush();
            assertEquals(0, files(".vlog").size(), "a value under the threshold stays inline");
            db.put(key(2), value(2, 0, 1024));
            db.put(key(3), value(3, 0, 1025));
            db.flush();
            assertEquals(1, files(".vlog").size());
            assertEquals(2, db.statistics().vlogFileStates().get(0).entries());
            for (int i = 1; i <= 3; i++) {
                assertArrayEquals(value(i, 0, 1022 + i), db.get(key(i)));
            }
        }
        try (Lamina db = Lamina.open(dir, options)) {
            for (int i = 1; i <= 3; i++) {
                assertArrayEquals(value(i, 0, 1022 + i), db.get(key(i)), "after reopen");
            }
        }
    }

    @Test
    void aThresholdOfZeroKeepsEveryValueInline() throws IOException {
        try (Lamina db = Lamina.open(dir, LaminaOptions.builder().valueThreshold(0).build())) {
            db.put(key(1), value(1, 0, 100_000));
            db.flush();
            assertEquals(0, files(".vlog").size());
            assertArrayEquals(value(1, 0, 100_000), db.get(key(1)));
        }
    }

    @Test
    void overwrittenLargeValuesAreReclaimedToWithinTwiceTheLiveData() throws IOException {
        int keys = 400;
        int size = 16 * 1024;
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(1 << 20).vlogFileSize(1 << 20).build();
        try (Lamina db = Lamina.open(dir, options)) {
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < keys; i++) {
                    db.put(key(i), value(i, round, size));
                }
            }
            db.compactRange(null, null);
            long live = (long) keys * (key(0).length + size);
            long onDisk = directoryBytes();
            assertTrue(onDisk <= 2 * live, "directory holds " + onDisk + " bytes for " + live + " live bytes; "
                    + db.statistics().vlogFileStates());
            assertTrue(db.statistics().vlogFilesDeleted() > 0, "value-log files were deleted");
            for (int i = 0; i < keys; i += 13) {
                assertArrayEquals(value(i, 7, size), db.get(key(i)));
            }
        }
    }

    @Test
    void snapshotsAndIteratorsKeepReadingWhileFilesAreRelocatedAndDeleted() {
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(256 << 10).vlogFileSize(128 << 10)
                .vlogGcThreshold(0.2).build();
        try (Lamina db = Lamina.open(dir, options)) {
            for (int i = 0; i < 200; i++) {
                db.put(key(i), value(i, 0, 4000));
            }
            db.flush();
            Snapshot snapshot = db.getSnapshot();
            LaminaIterator it = db.newIterator();
            for (int round = 1; round <= 4; round++) {
                for (int i = 0; i < 200; i += 2) {
                    db.put(key(i), value(i, round, 4000));
                }
                db.compactRange(null, null);
            }
            assertTrue(db.statistics().vlogValuesRelocated() > 0 || db.statistics().vlogFilesDeleted() > 0);
            for (int i = 0; i < 200; i++) {
                assertArrayEquals(value(i, 0, 4000), db.get(snapshot, key(i)), "snapshot read of " + i);
                assertArrayEquals(value(i, i % 2 == 0 ? 4 : 0, 4000), db.get(key(i)));
            }
            int n = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                assertArrayEquals(value(n, 0, 4000), it.value(), "iterator read of " + n);
                n++;
            }
            assertEquals(200, n);
            it.close();
            snapshot.close();
            db.compactRange(null, null);
            for (int i = 0; i < 200; i++) {
                assertArrayEquals(value(i, i % 2 == 0 ? 4 : 0, 4000), db.get(key(i)));
            }
        }
    }

    @Test
    void aFlippedByteInAValueLogFileIsHarmlessOrReportedNeverAWrongValue() throws IOException {
        int keys = 40;
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            for (int i = 0; i < keys; i++) {
                db.put(key(i), value(i, 0, 2000));
            }
            db.flush();
        }
        Path vlog = files(".vlog").get(0);
        long length = Files.size(vlog);
        Random random = new Random(5);
        int reported = 0;
        for (int trial = 0; trial < 60; trial++) {
            long at = trial < 10 ? trial * 4L : (long) (random.nextDouble() * length);
            flip(vlog, at);
            try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
                for (int i = 0; i < keys; i++) {
                    try {
                        assertArrayEquals(value(i, 0, 2000), db.get(key(i)), "flip at " + at + " gave a wrong value");
                    } catch (CorruptionException e) {
                        assertTrue(e.getMessage().contains(".vlog"), e.getMessage());
                        reported++;
                    }
                }
            } finally {
                flip(vlog, at);
            }
        }
        assertTrue(reported > 0, "flips inside values must be reported");
    }

    /**
     * Regression: garbage collection read a moved value (unchecked with checksums OFF) and wrote it with a CRC
     * computed afresh, so damage in the old file became a value that passed FULL checks. The entry's own CRC now
     * travels with it.
     */
    @Test
    void aValueDamagedBeforeItIsRelocatedIsStillReportedAfterwards() throws IOException {
        LaminaOptions unchecked = LaminaOptions.builder().vlogChecksum(ChecksumLevel.OFF).vlogGcThreshold(0.1).build();
        try (Lamina db = Lamina.open(dir, unchecked)) {
            for (int i = 0; i < 10; i++) {
                db.put(key(i), value(i, 0, 4000));
            }
            db.flush();
        }
        Path original = files(".vlog").get(0);
        // The first entry is key 0's (a flush writes in key order): a byte inside its value.
        flip(original, VlogFormat.HEADER_SIZE + VlogFormat.ENTRY_HEADER_SIZE + key(0).length + 100);
        try (Lamina db = Lamina.open(dir, unchecked)) {
            for (int i = 1; i < 10; i++) {
                db.put(key(i), value(i, 1, 4000));
            }
            db.compactRange(null, null);
            assertTrue(db.statistics().vlogValuesRelocated() > 0, "key 0's value was moved");
        }
        assertTrue(Files.notExists(original), "the damaged file itself is gone");
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            CorruptionException e = assertThrows(CorruptionException.class, () -> db.get(key(0)));
            assertTrue(e.getMessage().contains(".vlog"), e.getMessage());
            for (int i = 1; i < 10; i++) {
                assertArrayEquals(value(i, 1, 4000), db.get(key(i)));
            }
        }
    }

    private static void flip(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    @Test
    void garbageCountsSurviveARestart() {
        LaminaOptions options = LaminaOptions.builder().vlogGcThreshold(0.99).build();
        long garbage;
        try (Lamina db = Lamina.open(dir, options)) {
            for (int i = 0; i < 100; i++) {
                db.put(key(i), value(i, 0, 2000));
            }
            db.flush();
            for (int i = 0; i < 50; i++) {
                db.put(key(i), value(i, 1, 2000));
            }
            db.compactRange(null, null);
            garbage = db.statistics().vlogGarbageBytes();
            assertTrue(garbage >= 50 * 2000, "overwritten values count as garbage: " + garbage);
        }
        try (Lamina db = Lamina.open(dir, options)) {
            assertEquals(garbage, db.statistics().vlogGarbageBytes());
            assertTrue(db.statistics().spaceAmplification() > 1.0);
        }
    }
}
