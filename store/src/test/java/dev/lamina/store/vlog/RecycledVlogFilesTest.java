package dev.lamina.store.vlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.version.FileNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Obsolete value-log files kept and written over: the pool itself, and the store that uses it. */
class RecycledVlogFilesTest {
    @TempDir
    Path dir;

    private void vlogFile(long number, int size) throws IOException {
        Files.write(dir.resolve(FileNames.vlog(number)), new byte[size]);
    }

    private long recycleFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(FileNames.RECYCLE_SUFFIX)).count();
        }
    }

    private static byte[] key(int i) {
        return String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i, int round) {
        byte[] v = new byte[4000];
        new Random(i * 31L + round).nextBytes(v);
        return v;
    }

    /** Small memtables and value-log files, so that a few rounds of overwrites make the collector delete files. */
    private static LaminaOptions smallFiles(int recycleFiles) {
        return LaminaOptions.builder().writeBufferSize(256 << 10).vlogFileSize(256 << 10)
                .vlogRecycleFiles(recycleFiles).build();
    }

    /** Overwrites keys 0..99 {@code rounds} times; round r writes {@code value(i, r)}. */
    private static void overwrite(Lamina db, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 100; i++) {
                db.put(key(i), value(i, round));
            }
        }
    }

    @Test
    void keepsUpToItsLimitUnderTheRecycleName() throws IOException {
        RecycledVlogFiles pool = new RecycledVlogFiles(NioFileSystem.instance(), dir, 2);
        for (long n = 1; n <= 3; n++) {
            vlogFile(n, 100);
        }
        assertTrue(pool.offer(1));
        assertTrue(pool.offer(2));
        assertFalse(pool.offer(3), "over the limit: the caller deletes it");
        assertEquals(2, pool.keptFiles());
        assertEquals(200, pool.keptBytes());
        assertTrue(Files.exists(dir.resolve(FileNames.recycle(1))));
        assertFalse(Files.exists(dir.resolve(FileNames.vlog(1))));
        assertTrue(Files.exists(dir.resolve(FileNames.vlog(3))));
    }

    @Test
    void picksTheLargestFileThatTheWriteWillFillElseTheSmallest() throws IOException {
        RecycledVlogFiles pool = new RecycledVlogFiles(NioFileSystem.instance(), dir, 8);
        int[] sizes = {100, 400, 250, 900};
        for (int i = 0; i < sizes.length; i++) {
            vlogFile(i + 1, sizes[i]);
            pool.offer(i + 1);
        }
        assertEquals(250, reusedSize(pool, 300), "largest of at most 300 bytes");
        assertEquals(100, reusedSize(pool, 300), "then the next largest below");
        assertEquals(400, reusedSize(pool, 300), "none small enough left: the smallest");
        assertEquals(900, reusedSize(pool, 10));
        assertNull(pool.reuseAs(dir.resolve("none.tmp"), 10));
        assertEquals(4, pool.reusedFiles());
    }

    private long reusedSize(RecycledVlogFiles pool, long expected) throws IOException {
        Path temp = dir.resolve("new.tmp");
        try (WritableFile f = pool.reuseAs(temp, expected)) {
            long size = Files.size(temp);
            f.append(new byte[(int) size]); // all of it, so closing cuts nothing
            return size;
        } finally {
            Files.delete(temp);
        }
    }

    @Test
    void deleteAllRemovesEveryKeptFile() throws IOException {
        RecycledVlogFiles pool = new RecycledVlogFiles(NioFileSystem.instance(), dir, 4);
        for (long n = 1; n <= 3; n++) {
            vlogFile(n, 10);
            pool.offer(n);
        }
        pool.deleteAll();
        assertEquals(0, pool.keptFiles());
        assertEquals(0, recycleFiles());
    }

    @Test
    void aStoreUnderOverwritesWritesNewValueLogFilesOverObsoleteOnesAndReadsBackEveryValue() throws IOException {
        LaminaOptions options = smallFiles(4);
        int keys = 100;
        int round = 0;
        try (Lamina db = Lamina.open(dir, options)) {
            // Background deletion passes keep files and later flushes take them; bounded, though it takes a few.
            while (db.statistics().vlogFilesReused() == 0 && round < 300) {
                for (int i = 0; i < keys; i++) {
                    db.put(key(i), value(i, round));
                }
                round++;
            }
            assertTrue(db.statistics().vlogFilesReused() > 0, "no file reused in " + round + " rounds");
            for (int i = 0; i < keys; i++) {
                assertArrayEquals(value(i, round - 1), db.get(key(i)), "key " + i);
            }
        }
        assertEquals(0, recycleFiles(), "close deletes the kept files");
        try (Lamina db = Lamina.open(dir, options)) {
            for (int i = 0; i < keys; i++) {
                assertArrayEquals(value(i, round - 1), db.get(key(i)), "key " + i + " after reopen");
            }
        }
    }

    @Test
    void compactRangeLeavesNoKeptFiles() throws IOException {
        LaminaOptions options = smallFiles(8);
        try (Lamina db = Lamina.open(dir, options)) {
            overwrite(db, 30);
            db.compactRange(null, null);
            assertEquals(0, recycleFiles());
            assertEquals(0, db.statistics().vlogKeptBytes());
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(value(i, 29), db.get(key(i)));
            }
        }
    }

    @Test
    void openDeletesKeptFilesACrashLeftBehind() throws IOException {
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            db.put(key(1), value(1, 0));
            db.commit(new byte[0]);
        }
        Path leftover = dir.resolve(FileNames.recycle(999));
        Files.write(leftover, new byte[1000]);
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            assertFalse(Files.exists(leftover));
            assertArrayEquals(value(1, 0), db.get(key(1)));
        }
    }

    @Test
    void noneAreKeptWhenRecyclingIsOff() throws IOException {
        LaminaOptions options = smallFiles(0);
        try (Lamina db = Lamina.open(dir, options)) {
            overwrite(db, 30);
            db.flush();
            assertEquals(0, db.statistics().vlogFilesReused());
            assertEquals(0, recycleFiles());
        }
    }
}
