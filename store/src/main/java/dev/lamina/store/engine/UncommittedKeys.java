package dev.lamina.store.engine;

import dev.lamina.store.WriteBatch;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.wal.WalRecords;
import dev.lamina.store.wal.WriteAheadLog;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys written to the current memtable since the last commit logged them. Writes go to the memtable only; a
 * commit writes the newest entry of each of these keys to the WAL in one go. A key overwritten a thousand times
 * between two commits costs one WAL entry, not a thousand: Kafka Streams overwrites hot keys (aggregates, joined
 * documents) many times per commit interval, and only the state at the commit has to survive.
 *
 * <p>Not thread-safe: the engine calls it under its write lock.
 */
final class UncommittedKeys {
    /** Entries records are cut at about this size, so a commit never builds one array of a whole memtable. */
    private static final long RECORD_TARGET_BYTES = 1 << 20;
    /** A list longer than this (and than twice its size after the last pruning) is pruned of duplicate keys. */
    private static final int PRUNE_THRESHOLD = 1 << 16;

    private final List<byte[]> keys = new ArrayList<>();
    private int sizeAfterPrune;

    void add(byte[] userKey) {
        keys.add(userKey);
        if (keys.size() > PRUNE_THRESHOLD && keys.size() > 2 * sizeAfterPrune) {
            // A store written without commits would otherwise hold a reference per write.
            List<byte[]> distinct = distinct();
            keys.clear();
            keys.addAll(distinct);
            sizeAfterPrune = keys.size();
        }
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    void clear() {
        keys.clear();
        sizeAfterPrune = 0;
    }

    /**
     * Appends the newest entry in {@code mem} of every key written since the last call, as entries records, and
     * clears the list.
     *
     * @return the WAL position after the last record appended, or -1 if there was nothing to log
     */
    long appendNewest(MemTable mem, WriteAheadLog wal) {
        long position = -1;
        List<byte[]> distinct = distinct();
        List<Long> sequences = new ArrayList<>();
        WriteBatch batch = new WriteBatch();
        long bytes = 0;
        for (byte[] key : distinct) {
            InternalEntry e = mem.get(key, InternalKey.MAX_SEQUENCE);
            if (e == null) {
                throw new IllegalStateException("a key written since the last commit is not in the memtable");
            }
            sequences.add(e.sequence());
            if (e.kind() == ValueKind.DELETION) {
                batch.delete(key);
            } else {
                batch.put(key, e.value());
            }
            bytes += key.length + e.value().length + 16;
            if (bytes >= RECORD_TARGET_BYTES) {
                position = wal.append(WalRecords.encodeEntries(toArray(sequences), batch));
                sequences.clear();
                batch = new WriteBatch();
                bytes = 0;
            }
        }
        if (!sequences.isEmpty()) {
            position = wal.append(WalRecords.encodeEntries(toArray(sequences), batch));
        }
        clear();
        return position;
    }

    /** The keys without repeats, first occurrences first. */
    private List<byte[]> distinct() {
        Set<ByteBuffer> seen = new HashSet<>(Math.max(16, keys.size() * 2));
        List<byte[]> out = new ArrayList<>();
        for (byte[] key : keys) {
            if (seen.add(ByteBuffer.wrap(key))) {
                out.add(key);
            }
        }
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
