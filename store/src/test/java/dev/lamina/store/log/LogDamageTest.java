package dev.lamina.store.log;

import static dev.lamina.store.log.Fragments.concat;
import static dev.lamina.store.log.Fragments.forge;
import static dev.lamina.store.log.Fragments.random;
import static dev.lamina.store.log.LogFormat.BLOCK_SIZE;
import static dev.lamina.store.log.LogFormat.HEADER_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.log.Fragments.Fragment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LogDamageTest {
    private final Random random = new Random(7);

    /** Reads every record, expecting a clean end or a torn tail (no exception); returns them. */
    private static List<byte[]> readUntilEnd(LogReader reader) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] r = reader.readRecord(); r != null; r = reader.readRecord()) {
            out.add(r);
        }
        return out;
    }

    private static void assertPrefix(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "records before the damage");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "record " + i);
        }
    }

    private static CorruptionException assertCorruptionAt(byte[] log, long offset) {
        CorruptionException e = assertThrows(CorruptionException.class, () -> readUntilEnd(MemoryFile.reader(log)));
        assertEquals(MemoryFile.PATH, e.file());
        assertEquals(offset, e.offset(), e.getMessage());
        return e;
    }

    private static void flipBit(byte[] log, long offset, int bit) {
        log[(int) offset] ^= (byte) (1 << bit);
    }

    @Test
    void cuttingTheFileAtEveryOffsetOfASmallLastRecordDropsOnlyThatRecord() {
        List<byte[]> earlier = List.of(random(random, 30), random(random, 0), random(random, 200));
        byte[] last = random(random, 150);
        byte[] log = MemoryFile.logOf(earlier.get(0), earlier.get(1), earlier.get(2), last);
        int lastStart = log.length - HEADER_SIZE - last.length;
        for (int cut = lastStart + 1; cut < log.length; cut++) {
            LogReader reader = MemoryFile.reader(log, cut);
            assertPrefix(earlier, readUntilEnd(reader));
            assertEquals(cut - lastStart, reader.droppedBytes(), "cut at " + cut);
        }
    }

    @Test
    void cuttingTheFileInsideALastRecordSpanningBlocksDropsOnlyThatRecord() {
        List<byte[]> earlier = List.of(random(random, 1000), random(random, BLOCK_SIZE / 2));
        byte[] last = random(random, 2 * BLOCK_SIZE + 700);
        byte[] log = MemoryFile.logOf(earlier.get(0), earlier.get(1), last);
        List<Fragment> fragments = Fragments.list(log);
        long lastStart = fragments.get(2).offset();
        // Every offset near each fragment's start and end (headers, block edges), and a sample in between.
        TreeSet<Long> cuts = new TreeSet<>();
        for (Fragment f : fragments.subList(2, fragments.size())) {
            long end = f.offset() + HEADER_SIZE + f.length();
            for (long d = 0; d < 40; d++) {
                cuts.add(f.offset() + d);
                cuts.add(end - d);
            }
        }
        for (long cut = lastStart; cut < log.length; cut += 211) {
            cuts.add(cut);
        }
        cuts.removeIf(cut -> cut <= lastStart || cut >= log.length);
        for (long cut : cuts) {
            LogReader reader = MemoryFile.reader(log, (int) cut);
            assertPrefix(earlier, readUntilEnd(reader));
            assertEquals(cut - lastStart, reader.droppedBytes(), "cut at " + cut);
        }
    }

    @Test
    void cutAfterTheLastCompleteRecordIsACleanEnd() {
        byte[] log = MemoryFile.logOf(random(random, 10), random(random, 3 * BLOCK_SIZE));
        LogReader reader = MemoryFile.reader(log, HEADER_SIZE + 10);
        assertEquals(1, readUntilEnd(reader).size());
        assertEquals(0, reader.droppedBytes());
    }

    @Test
    void bitFlipInAnyHeaderOrPayloadByteOfAnEarlierRecordIsCorruptionAtThatRecord() {
        byte[][] records = {random(random, 40), random(random, 60), random(random, 80), random(random, 100)};
        byte[] clean = MemoryFile.logOf(records);
        long damagedStart = HEADER_SIZE + 40;
        int damagedLength = HEADER_SIZE + 60;
        for (int i = 0; i < damagedLength; i += i < HEADER_SIZE ? 1 : 13) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] log = clean.clone();
                flipBit(log, damagedStart + i, bit);
                assertCorruptionAt(log, damagedStart);
            }
        }
    }

    @Test
    void damageFoundOnlyAtALaterBlockStartIsStillCorruption() {
        // The damaged record fills block 0, so the only valid fragment after it is the one starting block 1.
        byte[] log = MemoryFile.logOf(random(random, BLOCK_SIZE - HEADER_SIZE), random(random, 10));
        flipBit(log, 5000, 3);
        assertCorruptionAt(log, 0);
    }

    @Test
    void damagedLengthInTheLastBlockDoesNotHideTheRecordsAfterIt() {
        byte[] log = MemoryFile.logOf(random(random, 10), random(random, 10), random(random, 10));
        log[HEADER_SIZE + 10 + LogFormat.LENGTH_OFFSET + 1] = (byte) 0x7f; // length now runs past the file end
        assertCorruptionAt(log, HEADER_SIZE + 10);
    }

    @Test
    void bitFlipInTheLastRecordWithNothingAfterIsATornTail() {
        byte[] a = random(random, 100);
        byte[] last = random(random, 300);
        byte[] log = MemoryFile.logOf(a, last);
        flipBit(log, log.length - 1, 0);
        LogReader reader = MemoryFile.reader(log);
        assertPrefix(List.of(a), readUntilEnd(reader));
        assertEquals(HEADER_SIZE + 300, reader.droppedBytes());
    }

    @Test
    void bitFlipInTheLastFragmentOfASpanningLastRecordIsATornTail() {
        byte[] a = random(random, 100);
        byte[] log = MemoryFile.logOf(a, random(random, 2 * BLOCK_SIZE + 50));
        flipBit(log, log.length - 20, 4);
        LogReader reader = MemoryFile.reader(log);
        assertPrefix(List.of(a), readUntilEnd(reader));
        assertEquals(log.length - (HEADER_SIZE + 100), reader.droppedBytes());
    }

    @Test
    void bitFlipInTheFirstFragmentOfASpanningLastRecordIsCorruptionSinceValidFragmentsFollow() {
        byte[] log = MemoryFile.logOf(random(random, 100), random(random, 2 * BLOCK_SIZE + 50));
        flipBit(log, HEADER_SIZE + 100 + HEADER_SIZE + 5, 1);
        assertCorruptionAt(log, HEADER_SIZE + 100);
    }

    @Test
    void zeroedRecordFollowedByValidRecordsIsCorruption() {
        byte[] log = MemoryFile.logOf(random(random, 20), random(random, 30), random(random, 40));
        for (int i = HEADER_SIZE + 20; i < 2 * HEADER_SIZE + 50; i++) {
            log[i] = 0;
        }
        assertCorruptionAt(log, HEADER_SIZE + 20);
    }

    @Test
    void garbageAfterTheLastRecordIsATornTail() {
        byte[] a = random(random, 50);
        for (int garbage : new int[] {1, 6, 7, 500, 3 * BLOCK_SIZE}) {
            byte[] tail = random(random, garbage);
            tail[0] = (byte) 0xff; // not a zero header, so not mistaken for padding
            LogReader reader = MemoryFile.reader(concat(MemoryFile.logOf(a), tail));
            assertPrefix(List.of(a), readUntilEnd(reader));
            assertEquals(garbage, reader.droppedBytes());
        }
    }

    @Test
    void middleFragmentWithoutAFirstIsCorruption() {
        byte[] log = concat(forge(LogFormat.FULL, new byte[10]), forge(LogFormat.MIDDLE, new byte[10]),
                forge(LogFormat.FULL, new byte[3]));
        assertCorruptionAt(log, HEADER_SIZE + 10);
    }

    @Test
    void lastFragmentWithoutAFirstAtTheEndIsCorruption() {
        byte[] log = concat(forge(LogFormat.FULL, new byte[10]), forge(LogFormat.LAST, new byte[10]));
        assertCorruptionAt(log, HEADER_SIZE + 10);
    }

    @Test
    void fullFragmentInsideAnUnfinishedRecordIsCorruption() {
        byte[] log = concat(forge(LogFormat.FIRST, new byte[5]), forge(LogFormat.FULL, new byte[5]));
        assertCorruptionAt(log, HEADER_SIZE + 5);
    }

    @Test
    void unfinishedRecordFollowedOnlyByZeroPaddingIsATornTail() {
        byte[] first = forge(LogFormat.FIRST, new byte[5]);
        LogReader reader = MemoryFile.reader(concat(forge(LogFormat.FULL, new byte[1]), first, new byte[100]));
        assertEquals(1, readUntilEnd(reader).size());
        assertEquals(first.length + 100, reader.droppedBytes());
    }

    @Test
    void readerStaysAtTheEndAfterATornTail() {
        byte[] log = MemoryFile.logOf(random(random, 10), random(random, 10));
        LogReader reader = MemoryFile.reader(log, log.length - 3);
        readUntilEnd(reader);
        assertNull(reader.readRecord());
        assertEquals(HEADER_SIZE + 7, reader.droppedBytes());
    }
}
