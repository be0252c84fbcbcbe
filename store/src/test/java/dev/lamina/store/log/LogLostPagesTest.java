package dev.lamina.store.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lamina.store.CorruptionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A power cut on a file system that writes pages back out of order can leave zeros in the unsynced end of the newest
 * log with later pages intact. Regression tests for the store refusing to open after such a crash: a reader told that
 * lost pages are possible takes them for a torn tail; damage that is not zeros up to a page boundary stays
 * corruption, and a reader not told so (older logs, the manifest) keeps the strict rule.
 */
class LogLostPagesTest {
    private static final int PAGE = LogReader.PAGE_SIZE;
    private final Random random = new Random(5);

    /** Forty 500-byte records: about five pages. */
    private List<byte[]> records() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            out.add(Fragments.random(random, 500));
        }
        return out;
    }

    private static byte[] logOf(List<byte[]> records) {
        return MemoryFile.logOf(records.toArray(new byte[0][]));
    }

    /** Reads records with a reader that knows lost pages are possible; returns them. */
    private static List<byte[]> read(LogReader reader) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] r = reader.readRecord(); r != null; r = reader.readRecord()) {
            out.add(r);
        }
        return out;
    }

    private static LogReader lenient(byte[] log) {
        return new LogReader(new MemoryFile.Readable(log), true);
    }

    /** Records that end before {@code offset}. */
    private static int recordsBefore(List<byte[]> records, long offset) {
        long end = 0;
        int n = 0;
        for (byte[] r : records) {
            end += LogFormat.HEADER_SIZE + r.length;
            if (end > offset) {
                break;
            }
            n++;
        }
        return n;
    }

    @Test
    void aWholeZeroPageFollowedByIntactPagesIsATornTailForTheNewestLog() {
        List<byte[]> records = records();
        byte[] log = logOf(records);
        Arrays.fill(log, 2 * PAGE, 3 * PAGE, (byte) 0);
        LogReader reader = lenient(log);
        List<byte[]> read = read(reader);
        int expected = recordsBefore(records, 2 * PAGE);
        assertEquals(expected, read.size());
        for (int i = 0; i < expected; i++) {
            assertArrayEquals(records.get(i), read.get(i));
        }
        assertEquals(log.length - (long) expected * (LogFormat.HEADER_SIZE + 500), reader.droppedBytes());
        assertNull(reader.readRecord());
    }

    @Test
    void theLostEndOfAPartlySyncedPageIsATornTail() {
        List<byte[]> records = records();
        byte[] log = logOf(records);
        int syncedUpTo = 2 * PAGE + 1000;
        Arrays.fill(log, syncedUpTo, 3 * PAGE, (byte) 0);
        assertEquals(recordsBefore(records, syncedUpTo), read(lenient(log)).size());
    }

    @Test
    void theStrictReaderStillReportsALostPageAsCorruption() {
        byte[] log = logOf(records());
        Arrays.fill(log, 2 * PAGE, 3 * PAGE, (byte) 0);
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> read(new LogReader(new MemoryFile.Readable(log))));
        assertEquals(MemoryFile.PATH, e.file());
    }

    @Test
    void garbageThatIsNotZerosUpToAPageBoundaryStaysCorruption() {
        byte[] log = logOf(records());
        for (int i = 2 * PAGE + 100; i < 2 * PAGE + 400; i++) {
            log[i] = (byte) 0xA5;
        }
        assertThrows(CorruptionException.class, () -> read(lenient(log)));
    }

    @Test
    void aShortZeroRunAtAPageBoundaryStaysCorruption() {
        byte[] log = logOf(records());
        int runStart = 2 * PAGE - LogReader.MIN_LOST_RUN / 2;
        Arrays.fill(log, runStart, 2 * PAGE, (byte) 0);
        log[runStart - 1] = 1; // so that the run is exactly this short, whatever the random data held
        assertThrows(CorruptionException.class, () -> read(lenient(log)));
    }

    @Test
    void aLostPageTailShorterThanTheMinimumRunIsATornTailWhenItStartsAtAFragment() {
        // Regression (found by PowerLossTest): a sync ended 40 bytes before a page boundary and the rest of that page
        // was lost; the 40 zero bytes start exactly at the next fragment's header, so they are lost data, not payload.
        List<byte[]> records = records();
        byte[] log = logOf(records);
        int fragment = LogFormat.HEADER_SIZE + 500;
        int start = 8 * fragment;
        assertEquals(PAGE - 40, start, "record 8 starts 40 bytes before the first page boundary");
        Arrays.fill(log, start, PAGE, (byte) 0);
        assertEquals(8, read(lenient(log)).size());
        assertThrows(CorruptionException.class, () -> read(new LogReader(new MemoryFile.Readable(log))));
    }
}
