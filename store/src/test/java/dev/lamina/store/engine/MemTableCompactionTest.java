package dev.lamina.store.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaIterator;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.Snapshot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full memtable made mostly of overwritten versions is compacted in memory rather than flushed to a table. */
class MemTableCompactionTest {
    private static final int KEYS = 16;
    private static final int VALUE_SIZE = 1024;

    @TempDir
    Path tmp;

    private static byte[] key(int k) {
        return ("key-" + k).getBytes(StandardCharsets.UTF_8);
    }

    /** A value that names its key and round, so a wrong version is told apart from the right one. */
    private static byte[] value(int k, int round) {
        ByteBuffer b = ByteBuffer.allocate(VALUE_SIZE);
        b.putInt(k).putInt(round);
        return b.array();
    }

    private static int roundOf(byte[] value) {
        return ByteBuffer.wrap(value).getInt(4);
    }

    private static LaminaOptions options() {
        return LaminaOptions.builder().writeBufferSize(256 << 10).build();
    }

    @Test
    void hotKeysOverwrittenManyTimesAreNotFlushed() {
        try (Lamina db = Lamina.open(tmp.resolve("store"), options())) {
            for (int round = 0; round < 2000; round++) {
                for (int k = 0; k < KEYS; k++) {
                    db.put(key(k), value(k, round));
                }
            }
            // 32 MiB written through a 256 KiB memtable holding 16 KiB of live data.
            assertEquals(0, db.statistics().flushes());
            assertTrue(db.statistics().memtableCompactions() > 50, db.statistics().toString());
            for (int k = 0; k < KEYS; k++) {
                assertArrayEquals(value(k, 1999), db.get(key(k)));
            }
        }
    }

    /** Regression: a hot set filling more than half the buffer used to miss the compaction and be flushed. */
    @Test
    void hotSetFillingMoreThanHalfTheBufferIsStillCompacted() {
        int keys = 120; // about 52% of the 256 KiB buffer with the per-entry overhead
        try (Lamina db = Lamina.open(tmp.resolve("store"), options())) {
            for (int round = 0; round < 200; round++) {
                for (int k = 0; k < keys; k++) {
                    db.put(key(k), value(k, round));
                }
            }
            assertEquals(0, db.statistics().flushes(), db.statistics().toString());
            assertTrue(db.statistics().memtableCompactions() > 50, db.statistics().toString());
            for (int k = 0; k < keys; k++) {
                assertEquals(199, roundOf(db.get(key(k))));
            }
        }
    }

    @Test
    void snapshotsAndIteratorsKeepSeeingTheirVersionsAcrossCompactions() {
        try (Lamina db = Lamina.open(tmp.resolve("store"), options())) {
            for (int k = 0; k < KEYS; k++) {
                db.put(key(k), value(k, 0));
            }
            Snapshot snapshot = db.getSnapshot();
            LaminaIterator iterator = db.newIterator();
            iterator.seekToFirst();
            for (int round = 1; round < 1000; round++) {
                for (int k = 0; k < KEYS; k++) {
                    db.put(key(k), value(k, round));
                }
            }
            assertTrue(db.statistics().memtableCompactions() > 10, db.statistics().toString());
            for (int k = 0; k < KEYS; k++) {
                assertEquals(0, roundOf(db.get(snapshot, key(k))), "snapshot read of key " + k);
                assertEquals(999, roundOf(db.get(key(k))));
            }
            int seen = 0;
            for (; iterator.isValid(); iterator.next()) {
                assertEquals(0, roundOf(iterator.value()), "iterator opened before the overwrites");
                seen++;
            }
            assertEquals(KEYS, seen);
            iterator.close();
            snapshot.close();
        }
    }

    @Test
    void distinctKeysAreFlushedAsBefore() {
        try (Lamina db = Lamina.open(tmp.resolve("store"), options())) {
            for (int k = 0; k < 2000; k++) {
                db.put(key(k), value(k, 0));
            }
            assertTrue(db.statistics().flushes() >= 5, db.statistics().toString());
            for (int k = 0; k < 2000; k++) {
                assertEquals(k, ByteBuffer.wrap(db.get(key(k))).getInt(0));
            }
        }
    }
}
