package dev.lamina.store.memtable;

import dev.lamina.store.iter.InternalIterator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentNavigableMap;

/**
 * Walks the skip list forward with one of its own iterators (a step along the list, not a new search per entry:
 * flushes go through here), and backward by key ({@code lowerEntry}). Both tolerate concurrent adds; entries are
 * never removed, and those added after the iterator was made carry newer sequences that readers filter out.
 */
final class MemTableIterator implements InternalIterator {
    private final ConcurrentNavigableMap<byte[], byte[]> entries;
    private Map.Entry<byte[], byte[]> current;
    /** Positioned just after {@code current} while moving forward; null after a backward move. */
    private Iterator<Map.Entry<byte[], byte[]>> forward;

    MemTableIterator(ConcurrentNavigableMap<byte[], byte[]> entries) {
        this.entries = entries;
    }

    @Override
    public boolean isValid() {
        return current != null;
    }

    @Override
    public void seekToFirst() {
        startForward(entries.entrySet().iterator());
    }

    @Override
    public void seekToLast() {
        forward = null;
        current = entries.lastEntry();
    }

    @Override
    public void seek(byte[] internalKey) {
        startForward(entries.tailMap(internalKey, true).entrySet().iterator());
    }

    private void startForward(Iterator<Map.Entry<byte[], byte[]>> it) {
        forward = it;
        current = it.hasNext() ? it.next() : null;
    }

    @Override
    public void next() {
        byte[] key = valid().getKey();
        if (forward == null) {
            forward = entries.tailMap(key, false).entrySet().iterator();
        }
        current = forward.hasNext() ? forward.next() : null;
    }

    @Override
    public void prev() {
        forward = null;
        current = entries.lowerEntry(valid().getKey());
    }

    @Override
    public byte[] key() {
        return valid().getKey();
    }

    @Override
    public byte[] value() {
        return valid().getValue();
    }

    private Map.Entry<byte[], byte[]> valid() {
        if (current == null) {
            throw new NoSuchElementException("iterator is not positioned on an entry");
        }
        return current;
    }

    @Override
    public void close() {
        current = null;
        forward = null;
    }
}
