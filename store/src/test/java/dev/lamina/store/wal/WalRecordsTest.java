package dev.lamina.store.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.WriteBatch;
import dev.lamina.store.key.InternalKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WalRecordsTest {
    private final Random random = new Random(99);

    /** A batch's operations as comparable strings, with the sequence each one gets. */
    static List<String> describe(long firstSequence, WriteBatch batch) {
        List<String> out = new ArrayList<>();
        batch.forEach(new WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                out.add((firstSequence + out.size()) + " put " + Arrays.toString(key) + "=" + Arrays.toString(value));
            }

            @Override
            public void delete(byte[] key) {
                out.add((firstSequence + out.size()) + " delete " + Arrays.toString(key));
            }
        });
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private WriteBatch sampleBatch() {
        byte[] big = new byte[300];
        random.nextBytes(big);
        return new WriteBatch().put(bytes("a"), bytes("1")).delete(bytes("b")).put(new byte[0], new byte[0])
                .put(bytes("big"), big).delete(new byte[0]);
    }

    @Test
    void batchRoundTripsWithConsecutiveSequences() {
        WriteBatch batch = sampleBatch();
        WalRecord decoded = WalRecords.decode(WalRecords.encodeBatch(1000, batch));
        WalRecord.Batch b = (WalRecord.Batch) decoded;
        assertEquals(1000, b.firstSequence());
        assertEquals(1004, b.lastSequence());
        assertEquals(describe(1000, batch), describe(1000, b.batch()));
    }

    @Test
    void emptyBatchRoundTrips() {
        WalRecord.Batch b = (WalRecord.Batch) WalRecords.decode(WalRecords.encodeBatch(5, new WriteBatch()));
        assertEquals(0, b.batch().count());
        assertEquals(4, b.lastSequence());
    }

    @Test
    void batchWithAMebibyteValueRoundTrips() {
        byte[] value = new byte[1 << 20];
        random.nextBytes(value);
        WriteBatch batch = new WriteBatch().put(bytes("k"), value);
        byte[] payload = WalRecords.encodeBatch(InternalKey.MAX_SEQUENCE, batch);
        assertEquals(WalFormat.BATCH_HEADER_SIZE + 1 + 1 + 1 + 3 + value.length, payload.length);
        assertEquals(describe(0, batch), describe(0, ((WalRecord.Batch) WalRecords.decode(payload)).batch()));
    }

    @Test
    void batchIsLaidOutByteByByteAsDocumented() {
        byte[] payload = WalRecords.encodeBatch(0x0102, new WriteBatch().put(bytes("k"), bytes("vv")).delete(bytes("x")));
        assertArrayEquals(new byte[] {1, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
                1, 1, 'k', 2, 'v', 'v',
                0, 1, 'x'}, payload);
    }

    @Test
    void commitIsLaidOutByteByByteAsDocumented() {
        byte[] payload = WalRecords.encodeCommit(0x0a0b, bytes("md"));
        assertArrayEquals(new byte[] {2, 0x0b, 0x0a, 0, 0, 0, 0, 0, 0, 2, 'm', 'd'}, payload);
    }

    @Test
    void commitRoundTripsWithEmptyAndLargeMetadata() {
        byte[] large = new byte[100_000];
        random.nextBytes(large);
        for (byte[] metadata : new byte[][] {new byte[0], bytes("offsets"), large}) {
            WalRecord decoded = WalRecords.decode(WalRecords.encodeCommit(77, metadata));
            assertEquals(new WalRecord.Commit(77, metadata), decoded);
        }
    }

    @Test
    void sequencesOutOfRangeAreRejectedWhenEncoding() {
        assertThrows(IllegalArgumentException.class, () -> WalRecords.encodeBatch(-1, new WriteBatch()));
        assertThrows(IllegalArgumentException.class,
                () -> WalRecords.encodeCommit(InternalKey.MAX_SEQUENCE + 1, new byte[0]));
    }

    @Test
    void everyTruncationOfAValidRecordIsCorruption() {
        for (byte[] valid : new byte[][] {WalRecords.encodeBatch(3, sampleBatch()),
                WalRecords.encodeCommit(9, bytes("metadata"))}) {
            for (int length = 0; length < valid.length; length++) {
                byte[] cut = Arrays.copyOf(valid, length);
                assertThrows(CorruptionException.class, () -> WalRecords.decode(cut), "length " + length);
            }
        }
    }

    @Test
    void trailingBytesUnknownTypesAndUnknownOperationKindsAreCorruption() {
        byte[] commit = WalRecords.encodeCommit(1, new byte[0]);
        assertThrows(CorruptionException.class, () -> WalRecords.decode(Arrays.copyOf(commit, commit.length + 1)));
        assertThrows(CorruptionException.class, () -> WalRecords.decode(new byte[] {3, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertThrows(CorruptionException.class, () -> WalRecords.decode(new byte[0]));
        byte[] batch = WalRecords.encodeBatch(1, new WriteBatch().delete(bytes("k")));
        batch[WalFormat.BATCH_HEADER_SIZE] = 7;
        assertThrows(CorruptionException.class, () -> WalRecords.decode(batch));
    }

    @Test
    void forgedCountsAndLengthsAreCorruptionNotHugeAllocations() {
        byte[] hugeCount = {1, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 0};
        assertThrows(CorruptionException.class, () -> WalRecords.decode(hugeCount));
        byte[] hugeKey = {1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
                1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0, 0};
        assertThrows(CorruptionException.class, () -> WalRecords.decode(hugeKey));
        byte[] keyOverLimit = {1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, (byte) 0x81, (byte) 0x80, 0x04};
        assertThrows(CorruptionException.class, () -> WalRecords.decode(keyOverLimit));
        byte[] hugeMetadata = {2, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        assertThrows(CorruptionException.class, () -> WalRecords.decode(hugeMetadata));
        byte[] negativeSequence = WalRecords.encodeCommit(0, new byte[0]);
        negativeSequence[8] = (byte) 0x80;
        assertThrows(CorruptionException.class, () -> WalRecords.decode(negativeSequence));
    }

    @Test
    void randomGarbageAndBitFlipsGiveOnlyCorruption() {
        byte[] validBatch = WalRecords.encodeBatch(3, sampleBatch());
        for (int i = 0; i < 20_000; i++) {
            byte[] payload;
            if (i % 2 == 0) {
                payload = new byte[random.nextInt(48)];
                random.nextBytes(payload);
                if (payload.length > 0) {
                    payload[0] = (byte) (1 + random.nextInt(2)); // reach past the type check
                }
            } else {
                payload = validBatch.clone();
                payload[random.nextInt(payload.length)] ^= (byte) (1 << random.nextInt(8));
            }
            try {
                WalRecords.decode(payload);
            } catch (CorruptionException expected) {
                // the only exception allowed
            } catch (RuntimeException | Error e) {
                fail("payload " + Arrays.toString(payload) + " threw " + e, e);
            }
        }
    }
}
