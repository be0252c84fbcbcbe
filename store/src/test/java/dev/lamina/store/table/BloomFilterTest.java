package dev.lamina.store.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CorruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BloomFilterTest {

    private static byte[] key(String prefix, int i) {
        return (prefix + i).getBytes(StandardCharsets.UTF_8);
    }

    private static BloomFilter filterOver(int keyCount, int bitsPerKey) {
        int[] hashes = new int[keyCount];
        for (int i = 0; i < keyCount; i++) {
            byte[] key = key("present-", i);
            hashes[i] = BloomFilter.hash(key, 0, key.length);
        }
        return BloomFilter.decode(BloomFilter.build(hashes, keyCount, bitsPerKey), null, 0);
    }

    @Test
    void murmur3MatchesPublishedVectors() {
        assertEquals(0, murmur("", 0));
        assertEquals(0x514e28b7, murmur("", 1));
        assertEquals(0x81f16f39, murmur("", 0xffffffff));
        assertEquals(0xba6bd213, murmur("test", 0));
        assertEquals(0x248bfa47, murmur("hello", 0));
        assertEquals(0x2e4ff723, murmur("The quick brown fox jumps over the lazy dog", 0));
    }

    private static int murmur(String s, int seed) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return BloomFilter.murmur3(bytes, 0, bytes.length, seed);
    }

    @Test
    void tenBitsPerKeyGivesAboutOnePercentFalsePositivesAndNoFalseNegatives() {
        int keyCount = 20_000;
        BloomFilter filter = filterOver(keyCount, 10);
        for (int i = 0; i < keyCount; i++) {
            assertTrue(filter.mayContain(key("present-", i)));
        }
        int probes = 100_000;
        int falsePositives = 0;
        for (int i = 0; i < probes; i++) {
            if (filter.mayContain(key("absent-", i))) {
                falsePositives++;
            }
        }
        double rate = (double) falsePositives / probes;
        assertTrue(rate < 0.02, "false-positive rate " + rate);
        assertTrue(rate > 0.001, "rate " + rate + " is implausibly low for 10 bits per key");
    }

    @Test
    void tinyFiltersStillFilter() {
        BloomFilter filter = filterOver(1, 10);
        assertTrue(filter.mayContain(key("present-", 0)));
        int falsePositives = 0;
        for (int i = 0; i < 1000; i++) {
            if (filter.mayContain(key("absent-", i))) {
                falsePositives++;
            }
        }
        assertTrue(falsePositives < 50, falsePositives + " false positives");
    }

    @Test
    void probeCountIsRoundedBitsTimesLn2WithinBounds() {
        assertEquals(1, BloomFilter.probesFor(1));
        assertEquals(7, BloomFilter.probesFor(10));
        assertEquals(30, BloomFilter.probesFor(64));
    }

    @Test
    void rejectsFilterBlocksWithImpossibleProbeCounts() {
        assertThrows(CorruptionException.class, () -> BloomFilter.decode(new byte[] {0, 0, 0}, Path.of("t"), 5));
        assertThrows(CorruptionException.class, () -> BloomFilter.decode(new byte[] {0, 0, 31}, Path.of("t"), 5));
        assertThrows(CorruptionException.class, () -> BloomFilter.decode(new byte[] {7}, Path.of("t"), 5));
        assertFalse(BloomFilter.decode(new byte[] {0, 0, 30}, Path.of("t"), 5).mayContain(new byte[3]));
    }
}
