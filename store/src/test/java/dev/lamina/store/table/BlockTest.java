package dev.lamina.store.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.util.ByteWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockTest {
    private static final Path FILE = Path.of("block-test.sst");

    static byte[] buildBlock(List<InternalEntry> entries, int restartInterval) {
        BlockBuilder builder = new BlockBuilder(restartInterval);
        for (InternalEntry entry : entries) {
            builder.add(entry.key(), entry.value());
        }
        return builder.finish().toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 16, 1000})
    void iteratesSeeksAndStepsBackAcrossRestartPoints(int restartInterval) {
        List<InternalEntry> entries = TableFixtures.sortedEntries(200, 30, restartInterval);
        Block block = new Block(buildBlock(entries, restartInterval), FILE, 0);
        TableRoundTripTest.assertEntriesForward(entries, block.newIterator());
        TableRoundTripTest.assertEntriesBackward(entries, block.newIterator());
        BlockIterator it = block.newIterator();
        for (int i = 0; i < entries.size(); i += 7) {
            it.seek(entries.get(i).key());
            assertArrayEquals(entries.get(i).key(), it.key());
            it.prev();
            if (i == 0) {
                assertFalse(it.isValid());
            } else {
                assertArrayEquals(entries.get(i - 1).key(), it.key());
            }
        }
        it.seek(InternalKey.seekKey(TableFixtures.bytes("zzz"), 1));
        assertFalse(it.isValid());
    }

    @Test
    void emptyBlockHasNoEntries() {
        Block block = new Block(buildBlock(List.of(), 16), FILE, 0);
        assertEquals(4, block.contents().length);
        InternalIterator it = block.newIterator();
        it.seekToFirst();
        assertFalse(it.isValid());
        it.seekToLast();
        assertFalse(it.isValid());
        it.seek(InternalKey.seekKey(new byte[0], 1));
        assertFalse(it.isValid());
    }

    @Test
    void rejectsRestartArraysThatCannotBeRight() {
        assertCorrupt(new byte[] {1, 2});
        assertCorrupt(new ByteWriter().writeFixed32(1_000_000).toByteArray());
        assertCorrupt(new ByteWriter().writeFixed32(-1).toByteArray());
        // A restart point but no entries.
        assertCorrupt(new ByteWriter().writeFixed32(0).writeFixed32(1).toByteArray());
        // First restart not at 0.
        assertCorrupt(new ByteWriter().writeBytes(new byte[20]).writeFixed32(3).writeFixed32(1).toByteArray());
        // Restarts not increasing.
        assertCorrupt(new ByteWriter().writeBytes(new byte[20]).writeFixed32(0).writeFixed32(9).writeFixed32(5)
                .writeFixed32(3).toByteArray());
    }

    @Test
    void reportsAnEntryThatRunsPastTheBlockWithFileAndOffset() {
        byte[] contents = new ByteWriter().writeVarint32(0).writeVarint32(200).writeVarint32(0).writeBytes(new byte[9])
                .writeFixed32(0).writeFixed32(1).toByteArray();
        Block block = new Block(contents, FILE, 4242);
        CorruptionException e = assertThrows(CorruptionException.class, () -> block.newIterator().seekToFirst());
        assertEquals(FILE, e.file());
        assertEquals(4242, e.offset());
    }

    /** Decoders are fuzzed: garbage may only ever produce CorruptionException, and must terminate. */
    @Test
    void garbageAndMutatedBlocksFailOnlyWithCorruption() {
        Random random = new Random(11);
        byte[] valid = buildBlock(TableFixtures.sortedEntries(60, 12, 9), 4);
        for (int round = 0; round < 3000; round++) {
            byte[] contents;
            if (round % 3 == 0) {
                contents = new byte[random.nextInt(64)];
                random.nextBytes(contents);
            } else {
                contents = Arrays.copyOf(valid, valid.length);
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    contents[random.nextInt(contents.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            exerciseExpectingOnlyCorruption(contents, random);
        }
    }

    private static void exerciseExpectingOnlyCorruption(byte[] contents, Random random) {
        try {
            Block block = new Block(contents, FILE, 0);
            BlockIterator it = block.newIterator();
            TableFixtures.walkBothWays(it);
            byte[] target = new byte[8 + random.nextInt(8)];
            random.nextBytes(target);
            it.seek(target);
        } catch (CorruptionException expected) {
            assertEquals(FILE, expected.file());
        }
    }

    private static void assertCorrupt(byte[] contents) {
        CorruptionException e = assertThrows(CorruptionException.class, () -> new Block(contents, FILE, 77));
        assertEquals(77, e.offset());
    }
}
