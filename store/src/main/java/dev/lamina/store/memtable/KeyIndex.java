package dev.lamina.store.memtable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A hash index from user key to its {@link KeyVersions}: open addressing with linear probing, kept at most half
 * full. One writer adds keys (never removes them); readers look up concurrently without locks. A key's slot is
 * written once, with release semantics, and a grown table is published whole, so a reader sees every key added
 * before the write that it observed (the engine's sequence) happened.
 */
final class KeyIndex {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(KeyVersions[].class);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int INITIAL_CAPACITY = 256;

    private volatile KeyVersions[] slots = new KeyVersions[INITIAL_CAPACITY];
    private int size;

    /** The entry of {@code userKey}, or null. */
    KeyVersions find(byte[] userKey, int hash) {
        KeyVersions[] table = slots;
        int mask = table.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            KeyVersions k = (KeyVersions) SLOTS.getAcquire(table, i);
            if (k == null) {
                return null;
            }
            if (k.hash == hash && Arrays.equals(k.userKey, userKey)) {
                return k;
            }
        }
    }

    /** Adds a key known to be absent. Writer only. */
    void add(KeyVersions key) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        place(slots, key);
        size++;
    }

    int size() {
        return size;
    }

    private void grow() {
        KeyVersions[] old = slots;
        KeyVersions[] table = new KeyVersions[old.length * 2];
        for (KeyVersions k : old) {
            if (k != null) {
                place(table, k);
            }
        }
        slots = table;
    }

    private static void place(KeyVersions[] table, KeyVersions key) {
        int mask = table.length - 1;
        int i = key.hash & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        SLOTS.setRelease(table, i, key);
    }

    /** A well-mixed hash of the whole key, eight bytes at a step. */
    static int hash(byte[] key) {
        long h = 0x9E3779B97F4A7C15L ^ key.length;
        int i = 0;
        for (; i + 8 <= key.length; i += 8) {
            h = (h ^ (long) LONGS.get(key, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        for (; i < key.length; i++) {
            h = (h ^ (key[i] & 0xff)) * 0x94D049BB133111EBL;
        }
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }
}
