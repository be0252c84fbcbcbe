package dev.lamina.store.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.log.LogFormat;
import dev.lamina.store.log.LogWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalReplayerTest {
    @TempDir
    Path dir;

    private final NioFileSystem fs = NioFileSystem.instance();

    /** Writes a log of two batches and a commit; returns the file size before the commit record. */
    private long writeLog(long number) {
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, number)) {
            wal.append(WriteAheadLogTest.batchPayload(1, "a"));
            long beforeCommit = wal.append(WriteAheadLogTest.batchPayload(2, "b"));
            wal.append(WalRecords.encodeCommit(2, "offsets".getBytes()));
            return beforeCommit;
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    @Test
    void replaysBatchesAndCommitsInOrder() {
        writeLog(1);
        List<WalRecord> seen = new ArrayList<>();
        WalReplayer.ReplayResult result = WalReplayer.replay(fs, WriteAheadLog.path(dir, 1), false, seen::add);
        assertEquals(new WalReplayer.ReplayResult(3, 2, 1, 0), result);
        assertEquals(1, ((WalRecord.Batch) seen.get(0)).firstSequence());
        assertEquals(2, ((WalRecord.Batch) seen.get(1)).firstSequence());
        assertEquals(new WalRecord.Commit(2, "offsets".getBytes()), seen.get(2));
    }

    @Test
    void emptyLogReplaysNothing() {
        new WriteAheadLog(fs, dir, 1).close();
        assertEquals(new WalReplayer.ReplayResult(0, 0, 0, 0),
                WalReplayer.replay(fs, WriteAheadLog.path(dir, 1), false, r -> { }));
    }

    @Test
    void tornTailOfTheLastLogIsDropped() throws IOException {
        long beforeCommit = writeLog(1);
        Path file = WriteAheadLog.path(dir, 1);
        truncate(file, Files.size(file) - 3);
        WalReplayer.ReplayResult result = WalReplayer.replay(fs, file, true, r -> { });
        assertEquals(2, result.records());
        assertEquals(Files.size(file) - beforeCommit, result.droppedBytes());
    }

    @Test
    void tornTailOfAnOlderLogIsCorruption() throws IOException {
        long beforeCommit = writeLog(1);
        Path file = WriteAheadLog.path(dir, 1);
        truncate(file, Files.size(file) - 3);
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> WalReplayer.replay(fs, file, false, r -> { }));
        assertEquals(file, e.file());
        assertEquals(beforeCommit, e.offset());
    }

    @Test
    void checksummedRecordThatIsNotAWalRecordIsCorruptionAtItsOffset() {
        Path file = WriteAheadLog.path(dir, 1);
        try (WritableFile out = fs.create(file)) {
            LogWriter writer = new LogWriter(out);
            writer.addRecord(WriteAheadLogTest.batchPayload(1, "a"));
            long second = writer.size();
            writer.addRecord(new byte[] {9, 9, 9});
            CorruptionException e = assertThrows(CorruptionException.class,
                    () -> WalReplayer.replay(fs, file, true, r -> { }));
            assertEquals(file, e.file());
            assertEquals(second, e.offset());
            assertEquals(LogFormat.HEADER_SIZE + second, out.size() - 3);
        }
    }
}
