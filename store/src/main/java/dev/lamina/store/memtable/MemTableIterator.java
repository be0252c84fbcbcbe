package dev.lamina.store.memtable;

import dev.lamina.store.iter.InternalIterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentNavigableMap;

/** Navigates the skip list by key (ceiling, higher, lower), so it is bidirectional and tolerates concurrent adds. */
final class MemTableIterator implements InternalIterator {
    private final ConcurrentNavigableMap<byte[], byte[]> entries;
    private Map.Entry<byte[], byte[]> current;

    MemTableIterator(ConcurrentNavigableMap<byte[], byte[]> entries) {
        this.entries = entries;
    }

    @Override
    public boolean isValid() {
        return current != null;
    }

    @Override
    public void seekToFirst() {
        current = entries.firstEntry();
    }

    @Override
    public void seekToLast() {
        current = entries.lastEntry();
    }

    @Override
    public void seek(byte[] internalKey) {
        current = entries.ceilingEntry(internalKey);
    }

    @Override
    public void next() {
        current = entries.higherEntry(valid().getKey());
    }

    @Override
    public void prev() {
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
    }
}
