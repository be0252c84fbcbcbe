package dev.lamina.store.memtable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memtable against a model: a sorted map of internal keys. Random writes (puts and deletions, keys of 0 to 20
 * bytes, some sharing prefixes), then every answer compared: point reads at random sequences, whole walks both
 * ways, seeks followed by random steps, a copy made from its iterator in internal order (versions arriving oldest
 * last), and the writes a commit must log.
 */
class MemTableTest {
    private static final byte[] EMPTY = new byte[0];

    private final Random random = new Random();
    private final NavigableMap<byte[], byte[]> model = new TreeMap<>(InternalKey.COMPARATOR);
    /** The newest logged write of each key since the last markLogged: sequence and value (null for a deletion). */
    private final Map<String, Object[]> unlogged = new HashMap<>();
    private final List<byte[]> keys = new ArrayList<>();
    private long sequence;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void answersAsASortedMapOfInternalKeysDoes(long seed) {
        random.setSeed(seed);
        int keyCount = 1 + random.nextInt(seed % 2 == 0 ? 20 : 2000);
        for (int i = 0; i < keyCount; i++) {
            keys.add(randomKey());
        }
        MemTable mem = new MemTable(64);
        int writes = 1 + random.nextInt(5000);
        for (int i = 0; i < writes; i++) {
            write(mem);
            if (random.nextInt(500) == 0) {
                checkUnlogged(mem);
                mem.markLogged();
                unlogged.clear();
            }
        }
        assertEquals(model.size(), mem.entryCount());
        assertEquals(sequence, mem.largestSequence());
        checkGets(mem);
        checkWalks(mem);
        checkSeeks(mem);
        checkUnlogged(mem);

        MemTable copy = mem.emptyCopy();
        try (InternalIterator it = mem.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                copy.addEncoded(it.key(), it.value());
            }
        }
        copy.carryUnloggedFrom(mem);
        checkGets(copy);
        checkWalks(copy);
        checkUnlogged(copy);
        assertEquals(mem.unloggedBytes(), copy.unloggedBytes());
        assertEquals(mem.unloggedLargeValueBytes(), copy.unloggedLargeValueBytes());
    }

    private byte[] randomKey() {
        int length = random.nextInt(21);
        byte[] key = new byte[length];
        for (int i = 0; i < length; i++) {
            // Few distinct bytes, so keys share prefixes and differ late.
            key[i] = (byte) (random.nextInt(3) == 0 ? 0xff : random.nextInt(4));
        }
        return key;
    }

    private void write(MemTable mem) {
        byte[] key = keys.get(random.nextInt(keys.size()));
        boolean delete = random.nextInt(5) == 0;
        byte[] value = delete ? null : new byte[random.nextInt(100)];
        if (value != null) {
            random.nextBytes(value);
        }
        boolean toLog = random.nextInt(4) != 0;
        sequence++;
        ValueKind kind = delete ? ValueKind.DELETION : ValueKind.VALUE;
        mem.add(sequence, kind, key, value, toLog);
        model.put(InternalKey.encode(key, sequence, kind), delete ? EMPTY : value);
        if (toLog) {
            unlogged.put(Arrays.toString(key), new Object[] {sequence, value});
        } else if (unlogged.containsKey(Arrays.toString(key))) {
            // A key already unlogged is logged with its newest version, whatever wrote it.
            unlogged.put(Arrays.toString(key), new Object[] {sequence, value});
        }
    }

    private void checkGets(MemTable mem) {
        for (int i = 0; i < 2000; i++) {
            byte[] key = random.nextInt(10) == 0 ? randomKey() : keys.get(random.nextInt(keys.size()));
            long at = random.nextInt((int) sequence + 2);
            Map.Entry<byte[], byte[]> expected = model.ceilingEntry(InternalKey.seekKey(key, at));
            if (expected != null && InternalKey.compareToUserKey(expected.getKey(), key) != 0) {
                expected = null;
            }
            InternalEntry actual = mem.get(key, at);
            if (expected == null) {
                assertNull(actual);
            } else {
                assertArrayEquals(expected.getKey(), actual.key());
                assertArrayEquals(expected.getValue(), actual.value());
            }
        }
    }

    private void checkWalks(MemTable mem) {
        try (InternalIterator it = mem.newIterator()) {
            List<byte[]> forward = new ArrayList<>();
            for (it.seekToFirst(); it.isValid(); it.next()) {
                forward.add(it.key());
                assertArrayEquals(model.get(it.key()), it.value());
            }
            assertEntries(new ArrayList<>(model.keySet()), forward);
            List<byte[]> backward = new ArrayList<>();
            for (it.seekToLast(); it.isValid(); it.prev()) {
                backward.add(it.key());
            }
            assertEntries(new ArrayList<>(model.descendingKeySet()), backward);
        }
    }

    private void checkSeeks(MemTable mem) {
        try (InternalIterator it = mem.newIterator()) {
            for (int i = 0; i < 300; i++) {
                byte[] key = random.nextBoolean() ? randomKey() : keys.get(random.nextInt(keys.size()));
                byte[] target = InternalKey.seekKey(key, random.nextInt((int) sequence + 2));
                it.seek(target);
                byte[] expected = model.ceilingKey(target);
                for (int step = 0; step < 20; step++) {
                    if (expected == null) {
                        assertFalse(it.isValid());
                        break;
                    }
                    assertTrue(it.isValid());
                    assertArrayEquals(expected, it.key());
                    if (random.nextBoolean()) {
                        it.next();
                        expected = model.higherKey(expected);
                    } else {
                        it.prev();
                        expected = model.lowerKey(expected);
                    }
                }
            }
        }
    }

    private void checkUnlogged(MemTable mem) {
        Map<String, Object[]> seen = new HashMap<>();
        long bytes = 0;
        long large = 0;
        for (Object[] w : unlogged.values()) {
            byte[] value = (byte[]) w[1];
            bytes += value == null ? 0 : value.length;
            large += value != null && value.length >= 64 ? value.length : 0;
        }
        long[] keyBytes = {0};
        mem.forEachUnlogged((key, seq, value) -> {
            assertNull(seen.put(Arrays.toString(key), new Object[] {seq, value}), "each key once");
            keyBytes[0] += key.length + 16;
        });
        assertEquals(unlogged.keySet(), seen.keySet());
        for (Map.Entry<String, Object[]> e : unlogged.entrySet()) {
            assertEquals(e.getValue()[0], seen.get(e.getKey())[0]);
            assertArrayEquals((byte[]) e.getValue()[1], (byte[]) seen.get(e.getKey())[1]);
        }
        assertEquals(!unlogged.isEmpty(), mem.hasUnlogged());
        assertEquals(bytes + keyBytes[0], mem.unloggedBytes());
        assertEquals(large, mem.unloggedLargeValueBytes());
    }

    private static void assertEntries(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "entry " + i);
        }
    }
}
