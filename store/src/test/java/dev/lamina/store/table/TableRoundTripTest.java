package dev.lamina.store.table;

import static dev.lamina.store.table.TableFixtures.bytes;
import static dev.lamina.store.table.TableFixtures.internalKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Compression;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TableRoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTripsEveryEntryWithEachCompression(Compression compression) throws Exception {
        List<InternalEntry> entries = TableFixtures.sortedEntries(3000, 200, 1);
        Path path = dir.resolve("000001.sst");
        long size = TableFixtures.writeTable(path, TableFixtures.smallBlocks(compression), entries);
        assertEquals(Files.size(path), size);
        try (TableReader table = TableFixtures.openTable(path, new BlockCache(1 << 20))) {
            assertEquals(entries.size(), table.entryCount());
            assertEquals(size, table.fileSize());
            assertEntriesForward(entries, table.newIterator());
            assertEntriesBackward(entries, table.newIterator());
            for (InternalEntry entry : entries) {
                InternalEntry found = table.get(InternalKey.userKey(entry.key()), entry.sequence());
                assertNotNull(found, InternalKey.describe(entry.key()));
                assertArrayEquals(entry.key(), found.key());
                assertArrayEquals(entry.value(), found.value());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTripsLargeValuesUpToOneMebibyte(Compression compression) {
        Random random = new Random(2);
        int[] lengths = {0, 1, 100, 4095, 4097, 64 * 1024, 300_000, 1 << 20};
        List<InternalEntry> entries = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            byte[] value = i % 2 == 0 ? TableFixtures.compressibleValue(random, lengths[i]) : randomBytes(random,
                    lengths[i]);
            entries.add(new InternalEntry(internalKey("big-" + i, 100 - i, ValueKind.VALUE), value));
        }
        Path path = dir.resolve("big.sst");
        TableFixtures.writeTable(path, TableOptions.defaults().withCompression(compression), entries);
        try (TableReader table = TableFixtures.openTable(path, new BlockCache(0))) {
            assertEntriesForward(entries, table.newIterator());
            assertEntriesBackward(entries, table.newIterator());
            for (InternalEntry entry : entries) {
                assertArrayEquals(entry.value(), table.get(InternalKey.userKey(entry.key()), 1000).value());
            }
        }
    }

    @Test
    void getReturnsNewestVersionAtOrBelowTheSequence() {
        List<InternalEntry> entries = List.of(
                new InternalEntry(internalKey("apple", 10, ValueKind.VALUE), bytes("v10")),
                new InternalEntry(internalKey("apple", 7, ValueKind.DELETION), new byte[0]),
                new InternalEntry(internalKey("apple", 3, ValueKind.POINTER), bytes("ptr3")),
                new InternalEntry(internalKey("cherry", 5, ValueKind.VALUE), bytes("c5")));
        Path path = dir.resolve("versions.sst");
        TableFixtures.writeTable(path, TableOptions.defaults(), entries);
        try (TableReader table = TableFixtures.openTable(path, new BlockCache(1 << 16))) {
            assertEquals(10, table.get(bytes("apple"), Long.MAX_VALUE).sequence());
            assertEquals(10, table.get(bytes("apple"), 10).sequence());
            InternalEntry deleted = table.get(bytes("apple"), 9);
            assertEquals(ValueKind.DELETION, deleted.kind());
            assertEquals(7, deleted.sequence());
            InternalEntry pointer = table.get(bytes("apple"), 6);
            assertEquals(ValueKind.POINTER, pointer.kind());
            assertArrayEquals(bytes("ptr3"), pointer.value());
            assertEquals(3, table.get(bytes("apple"), 3).sequence());
            assertNull(table.get(bytes("apple"), 2), "older than every version");
            assertNull(table.get(bytes("banana"), 100), "absent, between two keys");
            assertNull(table.get(bytes("aardvark"), 100), "absent, before the first key");
            assertNull(table.get(bytes("zebra"), 100), "absent, after the last key");
            assertNull(table.get(bytes("cherry"), 4));
            assertArrayEquals(bytes("c5"), table.get(bytes("cherry"), 5).value());
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void seeksMatchASortedListInBothDirections(Compression compression) {
        List<InternalEntry> entries = TableFixtures.sortedEntries(1500, 40, 3);
        Path path = dir.resolve("seek.sst");
        TableFixtures.writeTable(path, TableFixtures.smallBlocks(compression), entries);
        Random random = new Random(4);
        try (TableReader table = TableFixtures.openTable(path, new BlockCache(1 << 20));
             InternalIterator it = table.newIterator()) {
            for (int round = 0; round < 500; round++) {
                byte[] target = InternalKey.seekKey(bytes(TableFixtures.userKeyOf(random.nextInt(1600) - 50)),
                        random.nextInt(1_000_001));
                int expected = ceilingIndex(entries, target);
                it.seek(target);
                if (expected == entries.size()) {
                    assertFalse(it.isValid());
                    continue;
                }
                assertArrayEquals(entries.get(expected).key(), it.key());
                // Walk a few steps either way from the seek position.
                int position = expected;
                for (int step = 0; step < 20 && it.isValid(); step++) {
                    if (random.nextBoolean()) {
                        it.next();
                        position++;
                    } else {
                        it.prev();
                        position--;
                    }
                    if (position < 0 || position >= entries.size()) {
                        assertFalse(it.isValid());
                    } else {
                        assertArrayEquals(entries.get(position).key(), it.key());
                        assertArrayEquals(entries.get(position).value(), it.value());
                    }
                }
            }
        }
    }

    @Test
    void emptyTableHasNoEntries() {
        Path path = dir.resolve("empty.sst");
        TableFixtures.writeTable(path, TableOptions.defaults(), List.of());
        try (TableReader table = TableFixtures.openTable(path, new BlockCache(1024));
             InternalIterator it = table.newIterator()) {
            assertEquals(0, table.entryCount());
            it.seekToFirst();
            assertFalse(it.isValid());
            it.seekToLast();
            assertFalse(it.isValid());
            it.seek(InternalKey.seekKey(bytes("x"), 1));
            assertFalse(it.isValid());
            assertNull(table.get(bytes("x"), 1));
        }
    }

    @Test
    void withoutFilterEveryKeyMayBePresentAndLookupsStillWork() {
        List<InternalEntry> entries = TableFixtures.sortedEntries(500, 20, 5);
        Path path = dir.resolve("nofilter.sst");
        TableFixtures.writeTable(path, new TableOptions(1024, 16, Compression.LZ4, 0), entries);
        try (TableReader table = TableFixtures.openTable(path, new BlockCache(1 << 16))) {
            assertTrue(table.mayContain(bytes("definitely-not-there")));
            assertNull(table.get(bytes("definitely-not-there"), 5));
            InternalEntry first = entries.get(0);
            assertArrayEquals(first.value(), table.get(InternalKey.userKey(first.key()), first.sequence()).value());
        }
    }

    static int ceilingIndex(List<InternalEntry> entries, byte[] target) {
        int low = 0;
        int high = entries.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (InternalKey.compare(entries.get(mid).key(), target) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    static void assertEntriesForward(List<InternalEntry> expected, InternalIterator it) {
        try (it) {
            int i = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                assertArrayEquals(expected.get(i).key(), it.key(), "key " + i);
                assertArrayEquals(expected.get(i).value(), it.value(), "value " + i);
                i++;
            }
            assertEquals(expected.size(), i);
        }
    }

    static void assertEntriesBackward(List<InternalEntry> expected, InternalIterator it) {
        try (it) {
            int i = expected.size();
            for (it.seekToLast(); it.isValid(); it.prev()) {
                i--;
                assertArrayEquals(expected.get(i).key(), it.key(), "key " + i);
                assertArrayEquals(expected.get(i).value(), it.value(), "value " + i);
            }
            assertEquals(0, i);
        }
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] value = new byte[length];
        random.nextBytes(value);
        return value;
    }
}
