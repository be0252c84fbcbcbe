package dev.lamina.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operations against a {@link TreeMap} model: puts, deletes, batches, gets, scans both ways, snapshots,
 * flushes and reopens. A fixed seed in CI; {@code -Dlamina.seed=N} replays a run, {@code -Dlamina.seed=random}
 * picks one. The seed is in every failure message.
 */
class ModelBasedTest {
    @TempDir
    Path dir;

    private static long seed() {
        String s = System.getProperty("lamina.seed", "20261121");
        return s.equals("random") ? new Random().nextLong() : Long.parseLong(s);
    }

    @Test
    void randomOperationsMatchASortedMapModel() {
        run(false);
    }

    /** Most values in the value log, tiny value-log files and a low garbage threshold: relocation never stops. */
    @Test
    void randomOperationsMatchTheModelWhileTheValueLogIsConstantlyCollected() {
        run(true);
    }

    private void run(boolean valueLogHeavy) {
        long seed = seed();
        int operations = Boolean.getBoolean("lamina.stress") ? 200_000 : 12_000;
        try {
            new Run(seed, dir, valueLogHeavy).run(operations);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("model-based test failed with -Dlamina.seed=" + seed + ": " + e, e);
        }
    }

    private static final class Run {
        private final Random random;
        private final Path dir;
        private final LaminaOptions options;
        private final NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        private final List<Map.Entry<Snapshot, NavigableMap<byte[], byte[]>>> snapshots = new ArrayList<>();
        private final boolean valueLogHeavy;
        private Lamina db;
        private long compactions;
        private long relocated;
        private long vlogFilesDeleted;

        Run(long seed, Path dir, boolean valueLogHeavy) {
            this.random = new Random(seed);
            this.dir = dir;
            this.valueLogHeavy = valueLogHeavy;
            Compression[] compressions = Compression.values();
            LaminaOptions.Builder b = LaminaOptions.builder().writeBufferSize(64 << 10)
                    .blockSize(256 + random.nextInt(2048))
                    .compression(compressions[random.nextInt(compressions.length)]).blockCacheSize(256 << 10);
            if (valueLogHeavy) {
                b.valueThreshold(48).vlogFileSize(64 << 10).vlogGcThreshold(0.2);
            }
            this.options = b.build();
        }

        private void collectStatistics() {
            compactions += db.statistics().compactions();
            relocated += db.statistics().vlogValuesRelocated();
            vlogFilesDeleted += db.statistics().vlogFilesDeleted();
        }

        void run(int operations) {
            db = Lamina.open(dir, options);
            try {
                for (int i = 0; i < operations; i++) {
                    step();
                }
                checkEverything(db.newIterator(), model);
                collectStatistics();
                assertTrue(compactions > 0, "the run should have compacted");
                if (valueLogHeavy) {
                    assertTrue(relocated > 0, "the run should have relocated values");
                    assertTrue(vlogFilesDeleted > 0, "the run should have deleted value-log files");
                }
            } finally {
                closeSnapshots();
                db.close();
            }
        }

        private void step() {
            int op = random.nextInt(1000);
            if (op < 450) {
                byte[] k = key();
                byte[] v = value();
                db.put(k, v);
                model.put(k, v);
            } else if (op < 600) {
                byte[] k = key();
                db.delete(k);
                model.remove(k);
            } else if (op < 680) {
                WriteBatch batch = new WriteBatch();
                for (int n = random.nextInt(20); n >= 0; n--) {
                    byte[] k = key();
                    if (random.nextInt(4) == 0) {
                        batch.delete(k);
                        model.remove(k);
                    } else {
                        byte[] v = value();
                        batch.put(k, v);
                        model.put(k, v);
                    }
                }
                db.write(batch);
            } else if (op < 850) {
                byte[] k = key();
                assertArrayEquals(model.get(k), db.get(k), "get " + show(k));
            } else if (op < 930) {
                scan();
            } else if (op < 960) {
                snapshotStep();
            } else if (op < 985) {
                db.commit(new byte[] {(byte) op});
            } else if (op < 995) {
                db.flush();
            } else {
                closeSnapshots();
                collectStatistics();
                db.close();
                db = Lamina.open(dir, options);
            }
        }

        private void snapshotStep() {
            if (!snapshots.isEmpty() && random.nextBoolean()) {
                var entry = snapshots.get(random.nextInt(snapshots.size()));
                byte[] k = key();
                assertArrayEquals(entry.getValue().get(k), db.get(entry.getKey(), k), "snapshot get " + show(k));
                if (random.nextInt(3) == 0) {
                    try (LaminaIterator it = db.newIterator(entry.getKey())) {
                        checkEverything(it, entry.getValue());
                    }
                }
                if (random.nextInt(3) == 0) {
                    entry.getKey().close();
                    snapshots.remove(entry);
                }
            } else if (snapshots.size() < 4) {
                snapshots.add(Map.entry(db.getSnapshot(), new TreeMap<>(model)));
            }
        }

        private void closeSnapshots() {
            snapshots.forEach(e -> e.getKey().close());
            snapshots.clear();
        }

        /** A seek then a random walk in random directions, each step checked against the model. */
        private void scan() {
            try (LaminaIterator it = db.newIterator()) {
                Map.Entry<byte[], byte[]> expected;
                int how = random.nextInt(4);
                byte[] target = key();
                switch (how) {
                    case 0 -> {
                        it.seekToFirst();
                        expected = model.firstEntry();
                    }
                    case 1 -> {
                        it.seekToLast();
                        expected = model.lastEntry();
                    }
                    case 2 -> {
                        it.seek(target);
                        expected = model.ceilingEntry(target);
                    }
                    default -> {
                        it.seekForPrev(target);
                        expected = model.floorEntry(target);
                    }
                }
                for (int steps = random.nextInt(60); ; steps--) {
                    assertSame(expected, it, "scan mode " + how + " target " + show(target));
                    if (expected == null || steps <= 0) {
                        break;
                    }
                    if (random.nextInt(3) == 0) {
                        it.prev();
                        expected = model.lowerEntry(expected.getKey());
                    } else {
                        it.next();
                        expected = model.higherEntry(expected.getKey());
                    }
                }
            }
        }

        private static void assertSame(Map.Entry<byte[], byte[]> expected, LaminaIterator it, String what) {
            if (expected == null) {
                assertFalse(it.isValid(), what + ": iterator should be exhausted");
                return;
            }
            if (!it.isValid()) {
                throw new AssertionError(what + ": iterator exhausted, expected " + show(expected.getKey()));
            }
            assertEquals(show(expected.getKey()), show(it.key()), what);
            assertArrayEquals(expected.getValue(), it.value(), what + " value of " + show(expected.getKey()));
        }

        /** Full forward and full backward scans equal the model. */
        private static void checkEverything(LaminaIterator it, NavigableMap<byte[], byte[]> expected) {
            try (it) {
                it.seekToFirst();
                for (Map.Entry<byte[], byte[]> e : expected.entrySet()) {
                    assertSame(e, it, "forward scan");
                    it.next();
                }
                assertFalse(it.isValid(), "forward scan has extra keys");
                it.seekToLast();
                for (Map.Entry<byte[], byte[]> e : expected.descendingMap().entrySet()) {
                    assertSame(e, it, "backward scan");
                    it.prev();
                }
                assertFalse(it.isValid(), "backward scan has extra keys");
            }
        }

        private byte[] key() {
            int n = random.nextInt(600);
            // Shared prefixes exercise prefix compression; a few keys are empty or binary.
            if (n == 0) {
                return new byte[0];
            }
            if (n == 1) {
                return new byte[] {(byte) 0xff, 0, (byte) 0x80};
            }
            return ("key-" + (n % 7) + "-" + n).getBytes(StandardCharsets.UTF_8);
        }

        private byte[] value() {
            int size = random.nextInt(10) == 0 ? random.nextInt(5000) : random.nextInt(100);
            byte[] v = new byte[size];
            random.nextBytes(v);
            return v;
        }

        private static String show(byte[] key) {
            StringBuilder sb = new StringBuilder();
            for (byte b : key) {
                sb.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
            }
            return sb.toString();
        }
    }
}
