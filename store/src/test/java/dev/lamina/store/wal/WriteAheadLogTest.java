package dev.lamina.store.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.StoreClosedException;
import dev.lamina.store.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    @TempDir
    Path dir;

    private final TrackingFileSystem fs = new TrackingFileSystem();

    static byte[] batchPayload(long sequence, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return WalRecords.encodeBatch(sequence, new WriteBatch().put(k, k));
    }

    private List<WalRecord> replay(long number, boolean isLastLog) {
        List<WalRecord> out = new ArrayList<>();
        WalReplayer.replay(fs, WriteAheadLog.path(dir, number), isLastLog, out::add);
        return out;
    }

    @Test
    void fileNamesAreZeroPaddedLogNumbers() {
        assertEquals("000012.log", WriteAheadLog.fileName(12));
        assertEquals("000000.log", WriteAheadLog.fileName(0));
        assertEquals("1234567.log", WriteAheadLog.fileName(1_234_567));
        assertEquals(dir.resolve("000012.log"), WriteAheadLog.path(dir, 12));
        assertEquals(12, WriteAheadLog.parseFileName("000012.log"));
        assertEquals(1_234_567, WriteAheadLog.parseFileName("1234567.log"));
        for (String other : new String[] {"12.log", "000012.sst", "00001x.log", "MANIFEST-000012", ".log",
                "99999999999999999999.log"}) {
            assertEquals(-1, WriteAheadLog.parseFileName(other), other);
        }
    }

    @Test
    void constructorCreatesTheFileAndSyncsTheDirectory() {
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 12)) {
            assertTrue(fs.exists(dir.resolve("000012.log")));
            assertEquals(1, fs.directorySyncs.get());
            assertEquals(12, wal.logNumber());
            assertEquals(0, wal.bytesWritten());
        }
    }

    @Test
    void constructorRefusesToOverwriteAnExistingLog() {
        new WriteAheadLog(fs, dir, 3).close();
        assertThrows(IllegalStateException.class, () -> new WriteAheadLog(fs, dir, 3));
    }

    @Test
    void recordsReplayInOrderAcrossRotationAndPositionsKeepGrowing() {
        List<Long> positions = new ArrayList<>();
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 5)) {
            positions.add(wal.append(batchPayload(1, "a")));
            positions.add(wal.append(WalRecords.encodeCommit(1, new byte[] {9})));
            long oldSize = wal.bytesWritten();
            wal.rotate(6);
            assertEquals(6, wal.logNumber());
            assertEquals(1, fs.directorySyncs.get(), "the new file's directory entry waits for its first sync");
            assertEquals(oldSize, fs.durableBytes(WriteAheadLog.path(dir, 5)), "old log fully synced by rotation");
            positions.add(wal.append(batchPayload(2, "b")));
            positions.add(wal.append(WalRecords.encodeCommit(2, new byte[0])));
            wal.syncTo(positions.get(3));
            assertEquals(2, fs.directorySyncs.get());
            assertEquals(fs.size(WriteAheadLog.path(dir, 5)) + wal.bytesWritten() - oldSize, wal.bytesWritten());
        }
        for (int i = 1; i < positions.size(); i++) {
            assertTrue(positions.get(i) > positions.get(i - 1), "positions grow: " + positions);
        }
        List<WalRecord> older = replay(5, false);
        List<WalRecord> newer = replay(6, true);
        assertEquals(List.of(WalRecord.Batch.class, WalRecord.Commit.class),
                older.stream().map(Object::getClass).toList());
        assertEquals(new WalRecord.Commit(1, new byte[] {9}), older.get(1));
        assertEquals(2, ((WalRecord.Batch) newer.get(0)).firstSequence());
        assertEquals(new WalRecord.Commit(2, new byte[0]), newer.get(1));
    }

    @Test
    void rotateRefusesALogNumberNotAboveTheCurrentOne() {
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 5)) {
            assertThrows(IllegalArgumentException.class, () -> wal.rotate(5));
            assertThrows(IllegalArgumentException.class, () -> wal.rotate(4));
            assertEquals(5, wal.logNumber());
        }
    }

    @Test
    void rotateKeepsTheCurrentFileIfTheNewOneCannotBeCreated() {
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 5)) {
            new WriteAheadLog(fs, dir, 6).close();
            assertThrows(IllegalStateException.class, () -> wal.rotate(6));
            assertEquals(5, wal.logNumber());
            wal.syncTo(wal.append(batchPayload(1, "still works")));
        }
        assertEquals(1, replay(5, true).size());
    }

    @Test
    void rotationOfADurableFileSyncsNothing() {
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 5)) {
            wal.syncTo(wal.append(WalRecords.encodeCommit(1, new byte[0])));
            long syncs = wal.syncCount();
            int directorySyncs = fs.directorySyncs.get();
            wal.rotate(6);
            assertEquals(syncs, wal.syncCount(), "everything in the old file was durable already");
            assertEquals(directorySyncs, fs.directorySyncs.get());
            wal.rotate(7);
            assertEquals(syncs, wal.syncCount(), "log 6 is empty: losing it in a crash loses nothing");
            assertEquals(directorySyncs, fs.directorySyncs.get());
        }
    }

    @Test
    void aDirectorySyncThatFailsAfterRotationFailsTheCommitAndPoisonsTheLog() {
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 5)) {
            wal.rotate(6);
            long position = wal.append(WalRecords.encodeCommit(1, new byte[0]));
            fs.failDirectorySyncs = true;
            assertThrows(LaminaIOException.class, () -> wal.syncTo(position));
            fs.failDirectorySyncs = false;
            assertThrows(LaminaIOException.class, () -> wal.append(batchPayload(2, "refused")));
        }
    }

    @Test
    void syncToAnAlreadyDurablePositionDoesNotSyncAgain() {
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 1)) {
            long position = wal.append(batchPayload(1, "a"));
            wal.syncTo(position);
            wal.syncTo(position);
            wal.syncTo(0);
            assertEquals(1, wal.syncCount());
            assertEquals(position, fs.durableBytes(WriteAheadLog.path(dir, 1)));
        }
    }

    @Test
    void syncToPastTheEndIsRejected() {
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 1)) {
            long position = wal.append(batchPayload(1, "a"));
            assertThrows(IllegalArgumentException.class, () -> wal.syncTo(position + 1));
        }
    }

    @Test
    void closeSyncsAndLaterCallsFail() {
        WriteAheadLog wal = new WriteAheadLog(fs, dir, 1);
        long position = wal.append(batchPayload(1, "a"));
        wal.close();
        wal.close();
        assertEquals(position, fs.durableBytes(WriteAheadLog.path(dir, 1)));
        assertEquals(1, wal.syncCount());
        wal.syncTo(position); // already durable: nothing to do, no error
        assertThrows(StoreClosedException.class, () -> wal.append(batchPayload(2, "b")));
        assertThrows(StoreClosedException.class, () -> wal.rotate(2));
        assertFalse(fs.exists(WriteAheadLog.path(dir, 2)));
    }
}
