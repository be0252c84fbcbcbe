package dev.lamina.store.log;

import static dev.lamina.store.log.Fragments.random;
import static dev.lamina.store.log.LogFormat.BLOCK_SIZE;
import static dev.lamina.store.log.LogFormat.HEADER_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.log.Fragments.Fragment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogRoundTripTest {
    private final Random random = new Random(42);

    private static List<byte[]> readAll(byte[] log) {
        List<byte[]> out = new ArrayList<>();
        try (LogReader reader = MemoryFile.reader(log)) {
            for (byte[] r = reader.readRecord(); r != null; r = reader.readRecord()) {
                out.add(r);
            }
            assertEquals(0, reader.droppedBytes());
            assertNull(reader.readRecord(), "stays at the end");
        }
        return out;
    }

    private static void assertRecords(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "record count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "record " + i);
        }
    }

    @Test
    void emptyFileIsAnEmptyLog() {
        assertTrue(readAll(new byte[0]).isEmpty());
    }

    @Test
    void emptyAndOneByteRecordsAreFullFragments() {
        byte[] log = MemoryFile.logOf(new byte[0], new byte[] {7});
        assertEquals(List.of(new Fragment(0, LogFormat.FULL, 0), new Fragment(7, LogFormat.FULL, 1)),
                Fragments.list(log));
        assertEquals(15, log.length);
        assertRecords(List.of(new byte[0], new byte[] {7}), readAll(log));
    }

    @Test
    void recordExactlyFillingABlockIsOneFullFragmentAndTheNextStartsTheNextBlock() {
        byte[] filling = random(random, BLOCK_SIZE - HEADER_SIZE);
        byte[] next = random(random, 10);
        byte[] log = MemoryFile.logOf(filling, next);
        assertEquals(List.of(new Fragment(0, LogFormat.FULL, BLOCK_SIZE - HEADER_SIZE),
                new Fragment(BLOCK_SIZE, LogFormat.FULL, 10)), Fragments.list(log));
        assertRecords(List.of(filling, next), readAll(log));
    }

    @Test
    void recordSpanningManyBlocksIsSplitIntoFirstMiddlesAndLast() {
        byte[] big = random(random, 5 * BLOCK_SIZE + 123);
        byte[] log = MemoryFile.logOf(big);
        List<Fragment> fragments = Fragments.list(log);
        assertEquals(6, fragments.size());
        assertEquals(LogFormat.FIRST, fragments.get(0).type());
        for (int i = 1; i < 5; i++) {
            assertEquals(new Fragment((long) i * BLOCK_SIZE, LogFormat.MIDDLE, BLOCK_SIZE - HEADER_SIZE),
                    fragments.get(i));
        }
        assertEquals(LogFormat.LAST, fragments.get(5).type());
        assertRecords(List.of(big), readAll(log));
    }

    @Test
    void sixBytesLeftInABlockAreZeroFilledAndTheNextRecordStartsTheNextBlock() {
        byte[] first = random(random, BLOCK_SIZE - HEADER_SIZE - 6);
        byte[] second = random(random, 20);
        byte[] log = MemoryFile.logOf(first, second);
        assertArrayEquals(new byte[6], Arrays.copyOfRange(log, BLOCK_SIZE - 6, BLOCK_SIZE));
        assertEquals(new Fragment(BLOCK_SIZE, LogFormat.FULL, 20), Fragments.list(log).get(1));
        try (LogReader reader = MemoryFile.reader(log)) {
            assertArrayEquals(first, reader.readRecord());
            assertArrayEquals(second, reader.readRecord());
            assertEquals(BLOCK_SIZE, reader.lastRecordOffset());
            assertNull(reader.readRecord());
        }
    }

    @Test
    void exactlySevenBytesLeftGiveAZeroLengthFirstFragment() {
        byte[] first = random(random, BLOCK_SIZE - 2 * HEADER_SIZE);
        byte[] second = random(random, 20);
        byte[] log = MemoryFile.logOf(first, second);
        assertEquals(List.of(new Fragment(0, LogFormat.FULL, BLOCK_SIZE - 2 * HEADER_SIZE),
                new Fragment(BLOCK_SIZE - HEADER_SIZE, LogFormat.FIRST, 0),
                new Fragment(BLOCK_SIZE, LogFormat.LAST, 20)), Fragments.list(log));
        try (LogReader reader = MemoryFile.reader(log)) {
            assertArrayEquals(first, reader.readRecord());
            assertArrayEquals(second, reader.readRecord());
            assertEquals(BLOCK_SIZE - HEADER_SIZE, reader.lastRecordOffset());
        }
    }

    @Test
    void emptyRecordWithExactlySevenBytesLeftIsAZeroLengthFullFragment() {
        byte[] first = random(random, BLOCK_SIZE - 2 * HEADER_SIZE);
        byte[] log = MemoryFile.logOf(first, new byte[0]);
        assertEquals(new Fragment(BLOCK_SIZE - HEADER_SIZE, LogFormat.FULL, 0), Fragments.list(log).get(1));
        assertEquals(BLOCK_SIZE, log.length);
        assertRecords(List.of(first, new byte[0]), readAll(log));
    }

    @Test
    void randomRecordsOfMixedSizesRoundTripWithTheirOffsets() {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int size = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(8);
                case 1 -> random.nextInt(200);
                case 2 -> BLOCK_SIZE - HEADER_SIZE - random.nextInt(16);
                default -> random.nextInt(3 * BLOCK_SIZE);
            };
            records.add(random(random, size));
        }
        MemoryFile.Writable file = new MemoryFile.Writable();
        LogWriter writer = new LogWriter(file);
        List<Long> starts = new ArrayList<>();
        for (byte[] r : records) {
            long before = writer.size();
            // A record starts after the trailer padding the writer may put first.
            long leftInBlock = BLOCK_SIZE - before % BLOCK_SIZE;
            starts.add(leftInBlock < HEADER_SIZE ? before + leftInBlock : before);
            writer.addRecord(r);
        }
        assertEquals(records.size(), file.flushes, "one flush per record");
        assertEquals(file.size(), writer.size());
        try (LogReader reader = MemoryFile.reader(file.toByteArray())) {
            for (int i = 0; i < records.size(); i++) {
                assertArrayEquals(records.get(i), reader.readRecord(), "record " + i);
                assertEquals(starts.get(i), reader.lastRecordOffset(), "offset of record " + i);
            }
            assertNull(reader.readRecord());
        }
    }

    @Test
    void recordOfSeveralMebibytesIsReassembled() {
        byte[] big = random(random, 3 * 1024 * 1024 + 17);
        assertRecords(List.of(big, new byte[] {1}), readAll(MemoryFile.logOf(big, new byte[] {1})));
    }

    @Test
    void writerContinuingAnExistingLogProducesTheSameBytesAsOneWriter() {
        byte[] a = random(random, BLOCK_SIZE - 100);
        byte[] b = random(random, 500);
        byte[] prefix = MemoryFile.logOf(a);
        MemoryFile.Writable rest = new MemoryFile.Writable();
        LogWriter continuing = new LogWriter(rest, prefix.length);
        continuing.addRecord(b);
        assertEquals(prefix.length + rest.size(), continuing.size());
        byte[] joined = Fragments.concat(prefix, rest.toByteArray());
        assertArrayEquals(MemoryFile.logOf(a, b), joined);
        assertRecords(List.of(a, b), readAll(joined));
    }

    @Test
    void addRecordWithOffsetAndLengthWritesOnlyThatRange() {
        byte[] source = {1, 2, 3, 4, 5};
        MemoryFile.Writable file = new MemoryFile.Writable();
        new LogWriter(file).addRecord(source, 1, 3);
        assertRecords(List.of(new byte[] {2, 3, 4}), readAll(file.toByteArray()));
    }

    @Test
    void zeroPaddingAtTheEndOfTheFileIsACleanEnd() {
        byte[] log = MemoryFile.logOf(new byte[] {1, 2, 3});
        for (int zeros : new int[] {1, 6, 7, 100, BLOCK_SIZE, 3 * BLOCK_SIZE + 5}) {
            assertRecords(List.of(new byte[] {1, 2, 3}), readAll(Fragments.concat(log, new byte[zeros])));
        }
    }

    @Test
    void writerRefusesFurtherRecordsAfterAFailedWriteSoTheTornRecordStaysTheTail() {
        MemoryFile.Writable file = new MemoryFile.Writable();
        file.capacity = 100;
        LogWriter writer = new LogWriter(file);
        writer.addRecord(new byte[50]);
        assertThrows(LaminaIOException.class, () -> writer.addRecord(new byte[50]));
        file.capacity = Long.MAX_VALUE;
        assertThrows(LaminaIOException.class, () -> writer.addRecord(new byte[1]));
        try (LogReader reader = MemoryFile.reader(file.toByteArray())) {
            assertArrayEquals(new byte[50], reader.readRecord());
            assertNull(reader.readRecord());
            assertEquals(100 - 57, reader.droppedBytes());
        }
    }

    @Test
    void syncAndCloseReachTheFile() {
        MemoryFile.Writable file = new MemoryFile.Writable();
        LogWriter writer = new LogWriter(file);
        writer.addRecord(new byte[] {1});
        writer.sync();
        writer.close();
        assertEquals(1, file.syncs);
        assertTrue(file.closed);
    }
}
