package dev.lamina.store.engine;

import dev.lamina.store.LaminaOptions;
import dev.lamina.store.WriteBatch;
import dev.lamina.store.wal.WalRecords;
import dev.lamina.store.memtable.MemTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The writes made to a memtable since the last commit logged them, as the commit path sees them. Writes go to the
 * memtable only, which keeps which keys were written ({@link MemTable#forEachUnlogged}); a commit writes the newest
 * version of each to the WAL in one go. A key overwritten a thousand times between two commits costs one WAL entry,
 * not a thousand: Kafka Streams overwrites hot keys (aggregates, joined documents) many times per commit interval,
 * and only the state at the commit has to survive. Not thread-safe: the engine calls it under its write lock.
 */
final class UncommittedWrites {
    /** Entries records are cut at about this size, so a commit never builds one array of a whole memtable. */
    private static final long RECORD_TARGET_BYTES = 1 << 20;

    private final MemTable mem;
    /** A quarter of the write buffer: value-log bytes worth a flush at a commit ({@link #worthAFlushAtCommit}). */
    private final long flushAtCommitBytes;

    UncommittedWrites(MemTable mem, LaminaOptions options) {
        this.mem = mem;
        this.flushAtCommitBytes = options.writeBufferSize() / 4;
    }

    /**
     * True if most of the bytes a commit would log are values a flush writes to the value log. A commit then waits
     * for the memtable's flush rather than log them: logging would write those bytes a second time, where the flush,
     * already under way, is mostly that same write. For small values the flush is mostly building a table, and
     * logging is the cheaper way to make them durable.
     */
    boolean mostlyValueLogBytes() {
        long large = mem.unloggedLargeValueBytes();
        return large > 0 && 2 * large >= mem.unloggedBytes();
    }

    /**
     * True if a commit had better switch the memtable holding these writes and wait for its flush than log them:
     * the newest of each key are {@linkplain #mostlyValueLogBytes mostly value-log bytes}, and at least a quarter of a
     * write buffer of those. The flush writes those values once, where logging writes them now and again at the
     * flush. Below a quarter the log's copy costs little, and a flush would cut a small table and value-log file. A
     * few hot keys overwritten many times count once: they are cheap to log, and a flush would only write them to a
     * value-log file that the next flush makes garbage.
     */
    boolean worthAFlushAtCommit() {
        return mostlyValueLogBytes() && mem.unloggedLargeValueBytes() >= flushAtCommitBytes;
    }

    boolean isEmpty() {
        return !mem.hasUnlogged();
    }

    /** Bytes a commit would log now. */
    long bytes() {
        return mem.unloggedBytes();
    }

    /**
     * Appends the newest write of every key written since the last call to {@code log} (the write-ahead log's
     * append), as entries records, and forgets them.
     *
     * @return the WAL position after the last record appended, or -1 if there was nothing to log
     */
    long appendNewest(ToLongFunction<byte[]> log) {
        return take().appendTo(log);
    }

    /**
     * The newest write of every key written since the last call, as entries records to append later (outside the
     * write lock), and forgets them.
     */
    Records take() {
        Records records = new Records();
        mem.forEachUnlogged(records::add);
        mem.markLogged();
        return records;
    }

    /** Writes taken for the log, cut into entries records of about {@link #RECORD_TARGET_BYTES}. */
    static final class Records {
        private final List<byte[]> encoded = new ArrayList<>();
        private long[] sequences = new long[16];
        private int count;
        private WriteBatch batch = new WriteBatch();
        private long bytes;

        private void add(byte[] key, long sequence, byte[] value) {
            if (count == sequences.length) {
                sequences = Arrays.copyOf(sequences, count * 2);
            }
            sequences[count++] = sequence;
            if (value == null) {
                batch.delete(key);
            } else {
                batch.put(key, value);
            }
            bytes += key.length + (value == null ? 0 : value.length) + 16;
            if (bytes >= RECORD_TARGET_BYTES) {
                cut();
            }
        }

        private void cut() {
            if (count > 0) {
                encoded.add(WalRecords.encodeEntries(Arrays.copyOf(sequences, count), batch));
                count = 0;
                batch = new WriteBatch();
                bytes = 0;
            }
        }

        /**
         * Appends the records to {@code log}.
         *
         * @return the WAL position after the last record appended, or -1 if there was nothing to log
         */
        long appendTo(ToLongFunction<byte[]> log) {
            cut();
            long position = -1;
            for (byte[] record : encoded) {
                position = log.applyAsLong(record);
            }
            encoded.clear();
            return position;
        }
    }
}
