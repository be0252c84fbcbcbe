package dev.lamina.store.table;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.util.Coding;
import java.nio.file.Path;

/**
 * One bloom filter over every user key of a table. Stored as the filter block: the bit array (bit {@code i} is bit
 * {@code i % 8} of byte {@code i / 8}) followed by one byte, the probe count {@code k}. Probes use double hashing
 * over one 32-bit Murmur3 hash of the user key: probe {@code j} sets bit {@code (h + j * delta) mod bits}, with
 * {@code delta} the hash rotated right by 17 with its lowest bit set, so one hash computation serves all probes.
 * An odd {@code delta} keeps the probes of small filters (whose bit counts have many factors of 2) from cycling
 * over a few bits. Immutable and thread-safe.
 */
final class BloomFilter {
    private final byte[] bits;
    private final long bitCount;
    private final int probes;

    private BloomFilter(byte[] bits, long bitCount, int probes) {
        this.bits = bits;
        this.bitCount = bitCount;
        this.probes = probes;
    }

    /** Checks a filter block read from {@code file} at {@code offset}. */
    static BloomFilter decode(byte[] block, Path file, long offset) {
        if (block.length < 2) {
            throw new CorruptionException("filter block of " + block.length + " bytes is too short", file, offset);
        }
        int probes = block[block.length - 1] & 0xff;
        if (probes < TableFormat.MIN_BLOOM_PROBES || probes > TableFormat.MAX_BLOOM_PROBES) {
            throw new CorruptionException("filter block has bad probe count " + probes, file, offset);
        }
        return new BloomFilter(block, 8L * (block.length - 1), probes);
    }

    /** The probe count for a bits-per-key setting: {@code round(bits * ln 2)}, which minimises false positives. */
    static int probesFor(int bitsPerKey) {
        long k = Math.round(bitsPerKey * Math.log(2));
        return (int) Math.max(TableFormat.MIN_BLOOM_PROBES, Math.min(TableFormat.MAX_BLOOM_PROBES, k));
    }

    /**
     * Builds the filter block for the given key hashes ({@link #hash} of each distinct user key).
     *
     * @param hashes     array holding the hashes in its first {@code count} slots
     * @param bitsPerKey bits to spend per key, at least 1
     */
    static byte[] build(int[] hashes, int count, int bitsPerKey) {
        long wanted = Math.max(TableFormat.MIN_BLOOM_BITS, (long) count * bitsPerKey);
        long bitCount = Math.min(TableFormat.MAX_BLOOM_BITS, (wanted + 7) / 8 * 8);
        byte[] block = new byte[(int) (bitCount / 8) + 1];
        int probes = probesFor(bitsPerKey);
        for (int i = 0; i < count; i++) {
            int h = hashes[i];
            int delta = Integer.rotateRight(h, 17) | 1;
            for (int j = 0; j < probes; j++) {
                long bit = Integer.toUnsignedLong(h) % bitCount;
                block[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
                h += delta;
            }
        }
        block[block.length - 1] = (byte) probes;
        return block;
    }

    /** False only if {@code userKey} was certainly not among the keys the filter was built from. */
    boolean mayContain(byte[] userKey) {
        int h = hash(userKey, 0, userKey.length);
        int delta = Integer.rotateRight(h, 17) | 1;
        for (int j = 0; j < probes; j++) {
            long bit = Integer.toUnsignedLong(h) % bitCount;
            if ((bits[(int) (bit >>> 3)] & (1 << (bit & 7))) == 0) {
                return false;
            }
            h += delta;
        }
        return true;
    }

    /** 32-bit Murmur3 (x86 variant) of {@code data[offset, offset + length)} with the format's seed. */
    static int hash(byte[] data, int offset, int length) {
        return murmur3(data, offset, length, TableFormat.BLOOM_HASH_SEED);
    }

    static int murmur3(byte[] data, int offset, int length, int seed) {
        int h = seed;
        int end = offset + (length & ~3);
        for (int i = offset; i < end; i += 4) {
            h ^= mixKey(Coding.getFixed32(data, i));
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int remaining = length & 3;
        if (remaining > 0) {
            int tail = data[end] & 0xff;
            if (remaining >= 2) {
                tail |= (data[end + 1] & 0xff) << 8;
            }
            if (remaining == 3) {
                tail |= (data[end + 2] & 0xff) << 16;
            }
            h ^= mixKey(tail);
        }
        h ^= length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixKey(int k) {
        return Integer.rotateLeft(k * 0xcc9e2d51, 15) * 0x1b873593;
    }
}
