package dev.lamina.streams;

import dev.lamina.store.LaminaIterator;
import dev.lamina.store.StoreClosedException;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A Kafka Streams iterator over one key range of a Lamina store, forward or backward. It reads the engine at the
 * moment it was created (a consistent snapshot: later writes are not seen). Closing the store closes it; using it
 * then throws {@link InvalidStateStoreException}.
 */
final class LaminaKeyValueIterator implements KeyValueIterator<Bytes, byte[]> {
    private final String storeName;
    private final LaminaIterator cursor;
    private final boolean forward;
    /** Inclusive lower bound, or null. */
    private final byte[] from;
    /** Upper bound, or null; inclusive unless {@code toExclusive}. */
    private final byte[] to;
    private final boolean toExclusive;
    private final Consumer<LaminaKeyValueIterator> onClose;
    private KeyValue<Bytes, byte[]> next;
    private boolean exhausted;
    private volatile boolean closed;

    LaminaKeyValueIterator(String storeName, LaminaIterator cursor, byte[] from, byte[] to, boolean toExclusive,
            boolean forward, Consumer<LaminaKeyValueIterator> onClose) {
        this.storeName = storeName;
        this.cursor = cursor;
        this.from = from;
        this.to = to;
        this.toExclusive = toExclusive;
        this.forward = forward;
        this.onClose = onClose;
        try {
            if (forward) {
                if (from == null) {
                    cursor.seekToFirst();
                } else {
                    cursor.seek(from);
                }
            } else if (to == null) {
                cursor.seekToLast();
            } else {
                cursor.seekForPrev(to);
                if (toExclusive && cursor.isValid() && Arrays.equals(cursor.key(), to)) {
                    cursor.prev();
                }
            }
        } catch (RuntimeException e) {
            cursor.close();
            throw translate(e);
        }
    }

    @Override
    public boolean hasNext() {
        checkOpen();
        if (next != null) {
            return true;
        }
        if (exhausted) {
            return false;
        }
        try {
            if (!cursor.isValid() || outOfRange(cursor.key())) {
                exhausted = true;
                return false;
            }
            next = new KeyValue<>(Bytes.wrap(cursor.key()), cursor.value());
            if (forward) {
                cursor.next();
            } else {
                cursor.prev();
            }
            return true;
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    private boolean outOfRange(byte[] key) {
        if (forward) {
            if (to == null) {
                return false;
            }
            int c = Arrays.compareUnsigned(key, to);
            return toExclusive ? c >= 0 : c > 0;
        }
        return from != null && Arrays.compareUnsigned(key, from) < 0;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue<Bytes, byte[]> result = next;
        next = null;
        return result;
    }

    @Override
    public Bytes peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return next.key;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cursor.close();
        } finally {
            onClose.accept(this);
        }
    }

    /** Closes the iterator because its store is closing. */
    void closeForStore() {
        close();
    }

    private void checkOpen() {
        if (closed) {
            throw new InvalidStateStoreException("Lamina iterator for store " + storeName + " has closed");
        }
    }

    private RuntimeException translate(RuntimeException e) {
        if (e instanceof StoreClosedException) {
            return new InvalidStateStoreException("Store " + storeName + " is closed", e);
        }
        return new ProcessorStateException("Error while iterating over store " + storeName, e);
    }
}
