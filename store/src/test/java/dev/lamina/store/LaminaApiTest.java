package dev.lamina.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API's behaviour at its edges: bad input, closed stores, locked directories, durability of commits. */
class LaminaApiTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nullKeysAndValuesAreRejectedWithAMessage() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            NullPointerException e = assertThrows(NullPointerException.class, () -> db.put(null, b("v")));
            assertTrue(e.getMessage().contains("key"));
            assertThrows(NullPointerException.class, () -> db.put(b("k"), null));
            assertThrows(NullPointerException.class, () -> db.get(null));
            assertThrows(NullPointerException.class, () -> db.delete(null));
            assertThrows(NullPointerException.class, () -> db.commit(null));
        }
    }

    @Test
    void oversizedKeysAreRejectedAndNothingIsWritten() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            byte[] huge = new byte[WriteBatch.MAX_KEY_SIZE + 1];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.put(huge, b("v")));
            assertTrue(e.getMessage().contains("exceeds"));
            WriteBatch batch = new WriteBatch().put(b("a"), b("1"));
            assertThrows(IllegalArgumentException.class, () -> batch.put(huge, b("v")));
            db.write(batch);
            assertArrayEquals(b("1"), db.get(b("a")));
            assertEquals(1, batch.count());
            byte[] maxKey = new byte[WriteBatch.MAX_KEY_SIZE];
            db.put(maxKey, b("max"));
            assertArrayEquals(b("max"), db.get(maxKey));
        }
    }

    @Test
    void everyCallOnAClosedStoreThrowsStoreClosed() {
        Lamina db = Lamina.open(dir, LaminaOptions.defaults());
        LaminaIterator it = db.newIterator();
        db.close();
        db.close();
        assertThrows(StoreClosedException.class, () -> db.put(b("k"), b("v")));
        assertThrows(StoreClosedException.class, () -> db.get(b("k")));
        assertThrows(StoreClosedException.class, () -> db.delete(b("k")));
        assertThrows(StoreClosedException.class, () -> db.commit(b("m")));
        assertThrows(StoreClosedException.class, db::flush);
        assertThrows(StoreClosedException.class, db::newIterator);
        assertThrows(StoreClosedException.class, db::getSnapshot);
        assertThrows(StoreClosedException.class, db::committedMetadata);
        assertThrows(StoreClosedException.class, it::seekToFirst);
    }

    @Test
    void aSecondOpenInThisJvmFailsClearlyAndLeavesTheFirstWorking() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            db.put(b("k"), b("v"));
            LaminaIOException e = assertThrows(LaminaIOException.class,
                    () -> Lamina.open(dir, LaminaOptions.defaults()));
            assertTrue(e.getMessage().contains("already open"), e.getMessage());
            assertArrayEquals(b("v"), db.get(b("k")));
        }
        try (Lamina again = Lamina.open(dir, LaminaOptions.defaults())) {
            assertArrayEquals(b("v"), again.get(b("k")));
        }
    }

    @Test
    void aSecondProcessCannotOpenAnOpenStore() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldOpenMain.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("open"));
            assertEquals("open", line, "child did not open the store");
            LaminaIOException e = assertThrows(LaminaIOException.class,
                    () -> Lamina.open(dir, LaminaOptions.defaults()));
            assertTrue(e.getMessage().contains("another process"), e.getMessage());
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            assertArrayEquals(b("child"), db.get(b("written-by")));
        }
    }

    /** Opens a store, writes, commits, says so and waits to be killed. */
    public static final class HoldOpenMain {
        public static void main(String[] args) throws InterruptedException {
            Lamina db = Lamina.open(Path.of(args[0]), LaminaOptions.defaults());
            db.put(b("written-by"), b("child"));
            db.commit(b("c"));
            System.out.println("open");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    @Test
    void committedMetadataAndWritesSurviveReopen() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            assertNull(db.committedMetadata());
            db.put(b("a"), b("1"));
            db.commit(b("offsets-1"));
            db.put(b("b"), b("2"));
            db.flush();
            db.commit(b("offsets-2"));
            assertArrayEquals(b("offsets-2"), db.committedMetadata());
        }
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            assertArrayEquals(b("offsets-2"), db.committedMetadata());
            assertArrayEquals(b("1"), db.get(b("a")));
            assertArrayEquals(b("2"), db.get(b("b")));
        }
    }

    @Test
    void aWriteBatchIsAppliedAtomically() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            db.put(b("x"), b("old"));
            try (Snapshot before = db.getSnapshot()) {
                db.write(new WriteBatch().put(b("a"), b("1")).delete(b("x")).put(b("b"), b("2")));
                assertNull(db.get(b("x")));
                assertArrayEquals(b("old"), db.get(before, b("x")));
                assertNull(db.get(before, b("a")));
            }
        }
    }

    @Test
    void iteratorsSeeTheStoreAsOfTheirCreation() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            db.put(b("a"), b("1"));
            db.put(b("c"), b("3"));
            try (LaminaIterator it = db.newIterator()) {
                db.put(b("b"), b("2"));
                db.delete(b("c"));
                db.flush();
                it.seekToFirst();
                assertArrayEquals(b("a"), it.key());
                it.next();
                assertArrayEquals(b("c"), it.key());
                it.next();
                assertFalse(it.isValid());
            }
        }
    }

    @Test
    void manyLevelZeroTablesStillReadCorrectly() {
        // Triggers high enough that compaction leaves level 0 alone: reads must cope with many overlapping tables.
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 10).level0CompactionTrigger(100)
                .level0SlowdownTrigger(200).level0StopTrigger(300).build();
        try (Lamina db = Lamina.open(dir, options)) {
            for (int round = 0; round < 30; round++) {
                for (int k = 0; k < 50; k++) {
                    db.put(b("key-" + k), b("round-" + round));
                }
                db.flush();
            }
            assertEquals(30, db.statistics().tableFiles(0));
            for (int k = 0; k < 50; k++) {
                assertArrayEquals(b("round-29"), db.get(b("key-" + k)));
            }
        }
    }

    @Test
    void writesWithoutTheLogBecomeDurableAtTheNextCommit() {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            db.writeWithoutLog(new WriteBatch().put(b("restored"), b("1")));
            assertArrayEquals(b("1"), db.get(b("restored")));
            assertEquals(0, db.statistics().flushes());
            db.commit(b("offset-after-restore"));
            assertEquals(1, db.statistics().flushes(), "commit must first flush unlogged data into a table");
            db.commit(b("again"));
            assertEquals(1, db.statistics().flushes(), "nothing unlogged is pending any more");
        }
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            assertArrayEquals(b("1"), db.get(b("restored")));
            assertArrayEquals(b("again"), db.committedMetadata());
            assertTrue(db.estimateNumKeys() >= 1);
        }
    }
}
