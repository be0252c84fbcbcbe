package dev.lamina.store.memtable;

import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sorted in-memory table of internal keys. One writer at a time (the engine's write lock), any number of
 * concurrent readers and iterators: the skip list gives lock-free reads, and entries are never removed, so an
 * iterator stays valid while writes go on.
 */
public final class MemTable {
    /** Skip-list node, entry and array headers: what a small entry costs beyond its bytes. */
    static final int ENTRY_OVERHEAD = 96;

    private final ConcurrentSkipListMap<byte[], byte[]> entries = new ConcurrentSkipListMap<>(InternalKey.COMPARATOR);
    private final AtomicLong memoryUsage = new AtomicLong();
    private volatile long largestSequence;

    /** Adds an entry; sequences must be unique. For a deletion {@code value} is ignored. */
    public void add(long sequence, ValueKind kind, byte[] userKey, byte[] value) {
        addEncoded(InternalKey.encode(userKey, sequence, kind), kind == ValueKind.DELETION ? EMPTY : value);
    }

    /** Adds an entry taken from another memtable: its internal key and stored value, as they were there. */
    public void addEncoded(byte[] internalKey, byte[] stored) {
        entries.put(internalKey, stored);
        memoryUsage.addAndGet(internalKey.length + stored.length + ENTRY_OVERHEAD);
        long sequence = InternalKey.sequence(internalKey);
        if (sequence > largestSequence) {
            largestSequence = sequence;
        }
    }

    private static final byte[] EMPTY = new byte[0];

    /** The newest entry for {@code userKey} with a sequence at or below {@code sequence}, or null. */
    public InternalEntry get(byte[] userKey, long sequence) {
        Map.Entry<byte[], byte[]> e = entries.ceilingEntry(InternalKey.seekKey(userKey, sequence));
        if (e == null || InternalKey.compareToUserKey(e.getKey(), userKey) != 0) {
            return null;
        }
        return new InternalEntry(e.getKey(), e.getValue());
    }

    public InternalIterator newIterator() {
        return new MemTableIterator(entries);
    }

    /** Approximate heap bytes held by the entries. */
    public long memoryUsage() {
        return memoryUsage.get();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int entryCount() {
        return entries.size();
    }

    /** Largest sequence added, 0 if empty. */
    public long largestSequence() {
        return largestSequence;
    }
}
