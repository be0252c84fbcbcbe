package dev.lamina.store.iter;

import dev.lamina.store.key.InternalKey;
import java.util.List;

/**
 * Merges sorted children into one sorted stream, in both directions. Internal keys are unique across children (each
 * carries its own sequence), so there are no ties to break. When the direction changes, every child other than the
 * current one is repositioned relative to the current key, as LevelDB's merging iterator does.
 */
public final class MergingIterator implements InternalIterator {
    private final InternalIterator[] children;
    private InternalIterator current;
    private boolean forward = true;

    public MergingIterator(List<InternalIterator> children) {
        this.children = children.toArray(new InternalIterator[0]);
    }

    @Override
    public boolean isValid() {
        return current != null && current.isValid();
    }

    @Override
    public void seekToFirst() {
        for (InternalIterator child : children) {
            child.seekToFirst();
        }
        forward = true;
        findSmallest();
    }

    @Override
    public void seekToLast() {
        for (InternalIterator child : children) {
            child.seekToLast();
        }
        forward = false;
        findLargest();
    }

    @Override
    public void seek(byte[] internalKey) {
        for (InternalIterator child : children) {
            child.seek(internalKey);
        }
        forward = true;
        findSmallest();
    }

    @Override
    public void next() {
        if (!forward) {
            // Every other child sits before the current key; move each to the first entry after it.
            byte[] key = current.key();
            for (InternalIterator child : children) {
                if (child != current) {
                    child.seek(key);
                    if (child.isValid() && InternalKey.compare(child.key(), key) == 0) {
                        child.next();
                    }
                }
            }
            forward = true;
        }
        current.next();
        findSmallest();
    }

    @Override
    public void prev() {
        if (forward) {
            // Every other child sits after the current key; move each to the last entry before it.
            byte[] key = current.key();
            for (InternalIterator child : children) {
                if (child != current) {
                    child.seek(key);
                    if (child.isValid()) {
                        child.prev();
                    } else {
                        child.seekToLast();
                    }
                }
            }
            forward = false;
        }
        current.prev();
        findLargest();
    }

    private void findSmallest() {
        InternalIterator smallest = null;
        for (InternalIterator child : children) {
            if (child.isValid() && (smallest == null || InternalKey.compare(child.key(), smallest.key()) < 0)) {
                smallest = child;
            }
        }
        current = smallest;
    }

    private void findLargest() {
        InternalIterator largest = null;
        for (InternalIterator child : children) {
            if (child.isValid() && (largest == null || InternalKey.compare(child.key(), largest.key()) > 0)) {
                largest = child;
            }
        }
        current = largest;
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
        RuntimeException failure = null;
        for (InternalIterator child : children) {
            try {
                child.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        current = null;
        if (failure != null) {
            throw failure;
        }
    }
}
