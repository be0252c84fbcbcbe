package dev.lamina.store.engine;

import dev.lamina.store.LaminaOptions;
import dev.lamina.store.WriteBatch;
import dev.lamina.store.wal.WalRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The writes made to the current memtable since the last commit logged them. Writes go to the memtable only; a
 * commit writes the newest entry of each key written since the previous commit to the WAL in one go. A key
 * overwritten a thousand times between two commits costs one WAL entry, not a thousand: Kafka Streams overwrites
 * hot keys (aggregates, joined documents) many times per commit interval, and only the state at the commit has to
 * survive.
 *
 * <p>Each write is remembered with its value, so a commit needs no memtable lookups. Old versions of a key are
 * dropped whenever the values held reach a bound, so overwrites of large values between two commits do not pile
 * up on the heap. Not thread-safe: the engine calls it under its write lock.
 */
final class UncommittedWrites {
    /** Entries records are cut at about this size, so a commit never builds one array of a whole memtable. */
    private static final long RECORD_TARGET_BYTES = 1 << 20;

    /** One write: a put ({@code value} non-null) or a delete. */
    private record Write(byte[] key, byte[] value, long sequence) {
        long bytes() {
            return key.length + (value == null ? 0 : value.length) + 16;
        }
    }

    private final long maxHeldBytes;
    private final int valueThreshold;
    /** A quarter of the write buffer: value-log bytes worth a flush at a commit ({@link #worthAFlushAtCommit}). */
    private final long flushAtCommitBytes;
    private List<Write> writes = new ArrayList<>();
    private long heldBytes;
    private long heldBytesAfterPrune;
    /** Bytes of the values held that a flush moves to the value log. */
    private long valueLogBytes;

    /**
     * Holds up to the write buffer size of keys and values before old versions are dropped, and counts values of at
     * least {@code valueThreshold} (none if it is 0) as bound for the value log.
     */
    UncommittedWrites(LaminaOptions options) {
        this.maxHeldBytes = Math.max(1 << 20, options.writeBufferSize());
        this.valueThreshold = options.valueThreshold();
        this.flushAtCommitBytes = options.writeBufferSize() / 4;
    }

    void add(byte[] userKey, byte[] value, long sequence) {
        Write w = new Write(userKey, value, sequence);
        writes.add(w);
        heldBytes += w.bytes();
        valueLogBytes += valueLogBytes(w);
        if (heldBytes > maxHeldBytes && heldBytes > 2 * heldBytesAfterPrune) {
            pruneToNewest();
        }
    }

    /** Drops every write a newer one of its key replaced: what a commit would log stays. */
    private void pruneToNewest() {
        writes = newest();
        heldBytes = 0;
        valueLogBytes = 0;
        for (Write kept : writes) {
            heldBytes += kept.bytes();
            valueLogBytes += valueLogBytes(kept);
        }
        heldBytesAfterPrune = heldBytes;
    }

    private long valueLogBytes(Write w) {
        return valueThreshold > 0 && w.value() != null && w.value().length >= valueThreshold ? w.value().length : 0;
    }

    /**
     * True if most of the bytes held are values a flush writes to the value log. A commit then waits for the
     * memtable's flush rather than log them: logging would write those bytes a second time, where the flush, already
     * under way, is mostly that same write. For small values the flush is mostly building a table, and logging is
     * the cheaper way to make them durable.
     */
    boolean mostlyValueLogBytes() {
        return valueLogBytes > 0 && 2 * valueLogBytes >= heldBytes;
    }

    /**
     * True if a commit had better switch the memtable holding these writes and wait for its flush than log them:
     * the newest of each key are {@linkplain #mostlyValueLogBytes mostly value-log bytes}, and at least a quarter of a
     * write buffer of those. The flush writes those values once, where logging writes them now and again at the
     * flush. Below a quarter the log's copy costs little, and a flush would cut a small table and value-log file.
     * Prunes the writes to the newest of each key on the way, as logging them would.
     */
    boolean worthAFlushAtCommit() {
        if (!mostlyValueLogBytes() || valueLogBytes < flushAtCommitBytes) {
            return false;
        }
        // Count what the log would write, the newest of each key: a few hot keys overwritten many times are cheap
        // to log, and a flush would only write them to a value-log file that the next flush makes garbage.
        pruneToNewest();
        return mostlyValueLogBytes() && valueLogBytes >= flushAtCommitBytes;
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    void clear() {
        writes = new ArrayList<>();
        heldBytes = 0;
        heldBytesAfterPrune = 0;
        valueLogBytes = 0;
    }

    /**
     * Appends the newest write of every key written since the last call to {@code log} (the write-ahead log's
     * append), as entries records, and clears the list.
     *
     * @return the WAL position after the last record appended, or -1 if there was nothing to log
     */
    long appendNewest(ToLongFunction<byte[]> log) {
        long position = -1;
        List<Long> sequences = new ArrayList<>();
        WriteBatch batch = new WriteBatch();
        long bytes = 0;
        for (Write w : newest()) {
            sequences.add(w.sequence());
            if (w.value() == null) {
                batch.delete(w.key());
            } else {
                batch.put(w.key(), w.value());
            }
            bytes += w.bytes();
            if (bytes >= RECORD_TARGET_BYTES) {
                position = log.applyAsLong(WalRecords.encodeEntries(toArray(sequences), batch));
                sequences.clear();
                batch = new WriteBatch();
                bytes = 0;
            }
        }
        if (!sequences.isEmpty()) {
            position = log.applyAsLong(WalRecords.encodeEntries(toArray(sequences), batch));
        }
        clear();
        return position;
    }

    /** The newest write of each key, in the order of those writes. */
    private List<Write> newest() {
        Set<ByteBuffer> seen = new HashSet<>(Math.max(16, writes.size() * 2));
        List<Write> out = new ArrayList<>();
        for (int i = writes.size() - 1; i >= 0; i--) {
            Write w = writes.get(i);
            if (seen.add(ByteBuffer.wrap(w.key()))) {
                out.add(w);
            }
        }
        Collections.reverse(out);
        return out;
    }

    private static long[] toArray(List<Long> list) {
        long[] a = new long[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
