package dev.lamina.store.engine;

import dev.lamina.store.LaminaIterator;
import dev.lamina.store.StoreClosedException;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Turns the merged stream of internal entries into user keys visible at one sequence: newest visible entry per key,
 * deleted keys hidden. Moving forward, the inner iterator rests on the entry being returned. Moving backward, it
 * rests just before all entries of the current key, whose key and value are held in {@code savedKey/savedValue}.
 */
final class EngineIterator implements LaminaIterator {
    private final InternalIterator inner;
    private final long sequence;
    private final ValueResolver values;
    private final Runnable onClose;
    private boolean forward = true;
    private boolean valid;
    private byte[] savedKey;
    private byte[] savedValue;
    private volatile boolean closed;
    private volatile boolean storeClosed;

    EngineIterator(InternalIterator inner, long sequence, ValueResolver values, Runnable onClose) {
        this.inner = inner;
        this.sequence = sequence;
        this.values = values;
        this.onClose = onClose;
    }

    @Override
    public boolean isValid() {
        checkOpen();
        return valid;
    }

    @Override
    public void seekToFirst() {
        checkOpen();
        forward = true;
        inner.seekToFirst();
        findNextUserEntry(false, null);
    }

    @Override
    public void seekToLast() {
        checkOpen();
        forward = false;
        inner.seekToLast();
        findPrevUserEntry();
    }

    @Override
    public void seek(byte[] key) {
        checkOpen();
        Objects.requireNonNull(key, "key must not be null");
        forward = true;
        inner.seek(InternalKey.seekKey(key, sequence));
        findNextUserEntry(false, null);
    }

    @Override
    public void seekForPrev(byte[] key) {
        seek(key);
        if (!valid) {
            seekToLast();
        } else if (Arrays.compareUnsigned(key(), key) > 0) {
            prev();
        }
    }

    @Override
    public void next() {
        requireValid();
        byte[] skip;
        if (!forward) {
            // The inner iterator is before the current key's entries: step onto them, then past them.
            forward = true;
            if (inner.isValid()) {
                inner.next();
            } else {
                inner.seekToFirst();
            }
            skip = savedKey;
        } else {
            skip = InternalKey.userKey(inner.key());
            inner.next();
        }
        findNextUserEntry(true, skip);
    }

    /** Moves to the newest visible, non-deleted entry at or after the inner position, skipping keys up to {@code skip}. */
    private void findNextUserEntry(boolean skipping, byte[] skip) {
        savedKey = null;
        savedValue = null;
        while (inner.isValid()) {
            byte[] ik = inner.key();
            if (InternalKey.sequence(ik) <= sequence) {
                ValueKind kind = InternalKey.kind(ik);
                if (kind == ValueKind.DELETION) {
                    // Hide this key's older entries too.
                    skip = InternalKey.userKey(ik);
                    skipping = true;
                } else if (!skipping || InternalKey.compareToUserKey(ik, skip) > 0) {
                    valid = true;
                    return;
                }
            }
            inner.next();
        }
        valid = false;
    }

    @Override
    public void prev() {
        requireValid();
        if (forward) {
            // Step back past every entry of the current key.
            savedKey = InternalKey.userKey(inner.key());
            while (true) {
                inner.prev();
                if (!inner.isValid()) {
                    break;
                }
                if (InternalKey.compareToUserKey(inner.key(), savedKey) < 0) {
                    break;
                }
            }
            forward = false;
        }
        findPrevUserEntry();
    }

    /** Walks backward; entries of one key arrive oldest first, so the last visible one seen is the newest. */
    private void findPrevUserEntry() {
        ValueKind kind = ValueKind.DELETION;
        while (inner.isValid()) {
            byte[] ik = inner.key();
            if (InternalKey.sequence(ik) <= sequence) {
                if (kind != ValueKind.DELETION && InternalKey.compareToUserKey(ik, savedKey) < 0) {
                    break;
                }
                kind = InternalKey.kind(ik);
                if (kind == ValueKind.DELETION) {
                    savedKey = null;
                    savedValue = null;
                } else {
                    savedKey = InternalKey.userKey(ik);
                    savedValue = values.resolve(ik, inner.value());
                }
            }
            inner.prev();
        }
        if (kind == ValueKind.DELETION) {
            valid = false;
            savedKey = null;
            savedValue = null;
            forward = true;
        } else {
            valid = true;
        }
    }

    @Override
    public byte[] key() {
        requireValid();
        return forward ? InternalKey.userKey(inner.key()) : savedKey.clone();
    }

    @Override
    public byte[] value() {
        requireValid();
        return forward ? values.resolve(inner.key(), inner.value()) : savedValue.clone();
    }

    private void requireValid() {
        checkOpen();
        if (!valid) {
            throw new NoSuchElementException("iterator is not positioned on a key");
        }
    }

    private void checkOpen() {
        if (storeClosed) {
            throw new StoreClosedException("store was closed; its iterators are closed too");
        }
        if (closed) {
            throw new IllegalStateException("iterator is closed");
        }
    }

    /** Called when the store closes under an open iterator. */
    void closeForStore() {
        storeClosed = true;
        close();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        valid = false;
        try {
            inner.close();
        } finally {
            onClose.run();
        }
    }
}
