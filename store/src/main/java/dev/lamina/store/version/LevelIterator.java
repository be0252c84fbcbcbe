package dev.lamina.store.version;

import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.table.TableCache;
import java.util.List;

/** Concatenates the tables of one sorted, disjoint level, opening each table's iterator only when reached. */
final class LevelIterator implements InternalIterator {
    private final List<FileMetaData> files;
    private final TableCache tables;
    private int index = -1;
    private InternalIterator current;

    LevelIterator(List<FileMetaData> files, TableCache tables) {
        this.files = files;
        this.tables = tables;
    }

    private void open(int i) {
        if (current != null && index == i) {
            return;
        }
        closeCurrent();
        index = i;
        current = (i >= 0 && i < files.size()) ? tables.get(files.get(i).number()).newIterator() : null;
    }

    private void closeCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public boolean isValid() {
        return current != null && current.isValid();
    }

    @Override
    public void seekToFirst() {
        open(0);
        if (current != null) {
            current.seekToFirst();
        }
        skipForward();
    }

    @Override
    public void seekToLast() {
        open(files.size() - 1);
        if (current != null) {
            current.seekToLast();
        }
        skipBackward();
    }

    @Override
    public void seek(byte[] internalKey) {
        int lo = 0;
        int hi = files.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (InternalKey.compare(files.get(mid).largest(), internalKey) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        open(lo);
        if (current != null) {
            current.seek(internalKey);
        }
        skipForward();
    }

    @Override
    public void next() {
        current.next();
        skipForward();
    }

    @Override
    public void prev() {
        current.prev();
        skipBackward();
    }

    private void skipForward() {
        while (current != null && !current.isValid()) {
            if (index + 1 >= files.size()) {
                closeCurrent();
                return;
            }
            open(index + 1);
            current.seekToFirst();
        }
    }

    private void skipBackward() {
        while (current != null && !current.isValid()) {
            if (index - 1 < 0) {
                closeCurrent();
                return;
            }
            open(index - 1);
            current.seekToLast();
        }
    }

    @Override
    public byte[] key() {
        return current.key();
    }

    @Override
    public byte[] value() {
        return current.value();
    }

    @Override
    public void close() {
        closeCurrent();
    }
}
