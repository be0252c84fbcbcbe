package dev.lamina.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Puts and deletes applied together: {@link Lamina#write(WriteBatch)} makes all of them visible at once, and a
 * crash keeps either all or none. Not thread-safe. The engine keeps references to the arrays passed in; do not
 * modify them after adding.
 */
public final class WriteBatch {
    /** Largest key the engine accepts, in bytes. */
    public static final int MAX_KEY_SIZE = 64 * 1024;
    /** Largest value the engine accepts, in bytes. */
    public static final int MAX_VALUE_SIZE = 1 << 30;

    /** Receives the operations of a batch in order. */
    public interface Handler {
        void put(byte[] key, byte[] value);

        void delete(byte[] key);
    }

    private final List<byte[]> keys = new ArrayList<>();
    /** Null marks a delete. */
    private final List<byte[]> values = new ArrayList<>();
    private long approximateSize;

    public WriteBatch put(byte[] key, byte[] value) {
        checkKey(key);
        Objects.requireNonNull(value, "value must not be null (use delete to remove a key)");
        if (value.length > MAX_VALUE_SIZE) {
            throw new IllegalArgumentException(
                    "value of " + value.length + " bytes exceeds the maximum of " + MAX_VALUE_SIZE + " bytes");
        }
        keys.add(key);
        values.add(value);
        approximateSize += key.length + value.length + 8;
        return this;
    }

    public WriteBatch delete(byte[] key) {
        checkKey(key);
        keys.add(key);
        values.add(null);
        approximateSize += key.length + 8;
        return this;
    }

    static void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key must not be null");
        if (key.length > MAX_KEY_SIZE) {
            throw new IllegalArgumentException(
                    "key of " + key.length + " bytes exceeds the maximum of " + MAX_KEY_SIZE + " bytes");
        }
    }

    /** Number of operations. */
    public int count() {
        return keys.size();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Key and value bytes in the batch, plus a little per operation. */
    public long approximateSize() {
        return approximateSize;
    }

    public void clear() {
        keys.clear();
        values.clear();
        approximateSize = 0;
    }

    /** Replays the operations in the order they were added. */
    public void forEach(Handler handler) {
        for (int i = 0; i < keys.size(); i++) {
            byte[] value = values.get(i);
            if (value == null) {
                handler.delete(keys.get(i));
            } else {
                handler.put(keys.get(i), value);
            }
        }
    }
}
