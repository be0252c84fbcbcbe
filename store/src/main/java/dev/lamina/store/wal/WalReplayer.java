package dev.lamina.store.wal;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.log.LogReader;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Replays one write-ahead log file: decodes its records and hands them, in order, to a sink (the engine applies
 * batches to the memtable and remembers the last commit).
 *
 * <p>A torn tail is tolerated only in the last log, the one a crash can have interrupted. An older log was synced
 * completely when the log rotated away from it, so a torn tail there means lost data and is reported as
 * corruption.
 */
public final class WalReplayer {

    /**
     * What a replay found.
     *
     * @param records      records passed to the sink
     * @param batches      of which batch records
     * @param commits      of which commit records
     * @param droppedBytes bytes of a torn tail dropped at the end of the file (0 if it ended cleanly)
     */
    public record ReplayResult(long records, long batches, long commits, long droppedBytes) {
    }

    private WalReplayer() {
    }

    /**
     * Replays {@code file}, calling {@code sink} for each record in order. Exceptions from the sink propagate.
     *
     * @param isLastLog whether this is the newest log, whose tail a crash may have torn
     * @throws CorruptionException with the file and offset if a record is damaged, or if an older log is torn
     */
    public static ReplayResult replay(FileSystem fs, Path file, boolean isLastLog, Consumer<WalRecord> sink) {
        Objects.requireNonNull(sink, "sink");
        long batches = 0;
        long commits = 0;
        try (ReadableFile readable = fs.openReadable(file)) {
            // Only the newest log can end unsynced, so only there can a power cut have lost pages out of order.
            LogReader reader = new LogReader(readable, isLastLog);
            for (byte[] payload = reader.readRecord(); payload != null; payload = reader.readRecord()) {
                WalRecord record = decode(payload, file, reader.lastRecordOffset());
                if (record instanceof WalRecord.Batch) {
                    batches++;
                } else {
                    commits++;
                }
                sink.accept(record);
            }
            long dropped = reader.droppedBytes();
            if (dropped > 0 && !isLastLog) {
                throw new CorruptionException("write-ahead log that is not the newest ends in a torn record ("
                        + dropped + " bytes); it was synced completely before the next log started",
                        file, readable.size() - dropped);
            }
            return new ReplayResult(batches + commits, batches, commits, dropped);
        }
    }

    private static WalRecord decode(byte[] payload, Path file, long offset) {
        try {
            return WalRecords.decode(payload);
        } catch (CorruptionException e) {
            throw new CorruptionException("bad write-ahead log record: " + e.getMessage(), file, offset, e);
        }
    }
}
