package dev.lamina.store.log;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.fault.MemoryFiles;
import dev.lamina.store.fault.MutationFuzzer;
import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the log reader mutated logs, half of them with every fragment's checksum repaired so that forged lengths,
 * types and sequences reach the reader's logic. The reader must end cleanly (possibly dropping a torn tail) or throw
 * {@link CorruptionException}; it must never return more bytes than the file holds, nor loop.
 */
class LogReaderFuzzTest {
    private static final Path PATH = Path.of("fuzz", "000001.log");

    @Test
    void arbitraryBytesEndCleanlyOrAreReportedAsCorruption() {
        Random random = new Random(1);
        MutationFuzzer fuzzer = new MutationFuzzer("log reader", 42).allow(CorruptionException.class)
                .repairWith(LogReaderFuzzTest::resealFragments);
        fuzzer.seed(new byte[0]);
        for (int[] sizes : new int[][] {{0}, {10, 0, 300}, {LogFormat.BLOCK_SIZE - 14, 5, 9}, {40_000, 3},
            {LogFormat.BLOCK_SIZE - LogFormat.HEADER_SIZE, 1}, {70_000}}) {
            MemoryFiles.Writable file = new MemoryFiles.Writable(PATH);
            LogWriter writer = new LogWriter(file);
            for (int size : sizes) {
                byte[] record = new byte[size];
                random.nextBytes(record);
                writer.addRecord(record);
            }
            fuzzer.seed(file.toByteArray());
        }
        long inputs = fuzzer.run(input -> {
            // Both the strict reader and the one that allows lost pages (the newest write-ahead log's).
            LogReader reader = new LogReader(new MemoryFiles.Readable(PATH, input), (input.length & 1) == 0);
            long returned = 0;
            for (byte[] r = reader.readRecord(); r != null; r = reader.readRecord()) {
                returned += r.length;
                if (returned > input.length) {
                    throw new AssertionError("reader returned more bytes than the file holds");
                }
            }
            if (reader.droppedBytes() < 0 || reader.droppedBytes() > input.length) {
                throw new AssertionError("dropped " + reader.droppedBytes() + " of " + input.length + " bytes");
            }
        });
        System.out.println("LogReaderFuzzTest: " + inputs + " inputs");
        assertTrue(inputs > 100, "too few inputs: " + inputs);
    }

    /** Walks the bytes as fragments from each block start and rewrites every checksum that covers a whole fragment. */
    static byte[] resealFragments(byte[] log) {
        for (int blockStart = 0; blockStart < log.length; blockStart += LogFormat.BLOCK_SIZE) {
            int limit = Math.min(log.length, blockStart + LogFormat.BLOCK_SIZE);
            int pos = blockStart;
            while (pos + LogFormat.HEADER_SIZE <= limit) {
                int length = (log[pos + 4] & 0xff) | (log[pos + 5] & 0xff) << 8;
                int end = pos + LogFormat.HEADER_SIZE + length;
                if (end > limit) {
                    break;
                }
                int type = log[pos + LogFormat.TYPE_OFFSET] & 0xff;
                Coding.putFixed32(log, pos, Crc32c.mask(Crc32c.compute(type, log, pos + LogFormat.HEADER_SIZE,
                        length)));
                pos = end;
            }
        }
        return log;
    }
}
