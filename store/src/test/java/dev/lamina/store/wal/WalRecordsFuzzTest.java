package dev.lamina.store.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.WriteBatch;
import dev.lamina.store.fault.MutationFuzzer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds {@link WalRecords#decode} mutated batch, entries and commit records. Anything but a well-formed record must be a
 * {@link CorruptionException}, without allocating more than the input could justify; whatever decodes must encode
 * and decode again to the same record.
 */
class WalRecordsFuzzTest {

    @Test
    void arbitraryPayloadsDecodeOrAreReportedAsCorruption() {
        Random random = new Random(3);
        MutationFuzzer fuzzer = new MutationFuzzer("WAL records", 43).allow(CorruptionException.class);
        for (int i = 0; i < 12; i++) {
            WriteBatch batch = new WriteBatch();
            for (int n = random.nextInt(6); n >= 0; n--) {
                byte[] key = new byte[random.nextInt(20)];
                random.nextBytes(key);
                if (random.nextInt(4) == 0) {
                    batch.delete(key);
                } else {
                    byte[] value = new byte[random.nextInt(i == 0 ? 400 : 40)];
                    random.nextBytes(value);
                    batch.put(key, value);
                }
            }
            fuzzer.seed(WalRecords.encodeBatch(random.nextInt(1 << 20), batch));
            long[] sequences = new long[batch.count()];
            for (int s = 0; s < sequences.length; s++) {
                sequences[s] = random.nextInt(1 << 20);
            }
            fuzzer.seed(WalRecords.encodeEntries(sequences, batch));
            byte[] metadata = new byte[random.nextInt(30)];
            random.nextBytes(metadata);
            fuzzer.seed(WalRecords.encodeCommit(random.nextInt(1 << 20), metadata));
        }
        // Found under -Pstress when this test knew only batch and commit records: an entries record of no entries.
        fuzzer.seed(new byte[] {WalFormat.TYPE_ENTRIES, 0, 0, 0, 0});
        long inputs = fuzzer.run(input -> {
            byte[] again = encode(WalRecords.decode(input));
            assertArrayEquals(again, encode(WalRecords.decode(again)), "re-encoding is not stable");
        });
        System.out.println("WalRecordsFuzzTest: " + inputs + " inputs");
        assertTrue(inputs > 100, "too few inputs: " + inputs);
    }

    private static byte[] encode(WalRecord record) {
        if (record instanceof WalRecord.Batch b) {
            return WalRecords.encodeBatch(b.firstSequence(), b.batch());
        }
        if (record instanceof WalRecord.Entries e) {
            return WalRecords.encodeEntries(e.sequences(), e.batch());
        }
        WalRecord.Commit c = (WalRecord.Commit) record;
        return WalRecords.encodeCommit(c.lastSequence(), c.metadata());
    }
}
