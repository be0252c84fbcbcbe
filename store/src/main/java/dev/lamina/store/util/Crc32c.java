package dev.lamina.store.util;

import java.util.zip.CRC32C;

/**
 * CRC32C, and LevelDB's masking of a CRC stored next to the data it covers: a CRC of data that itself contains
 * CRCs is weak, so stored values are rotated and offset.
 */
public final class Crc32c {
    private static final int MASK_DELTA = 0xa282ead8;

    private Crc32c() {
    }

    public static int compute(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    /** CRC over one leading byte followed by a range, without copying (used by block and record trailers). */
    public static int compute(int leadingByte, byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(leadingByte);
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    public static int unmask(int masked) {
        int rot = masked - MASK_DELTA;
        return (rot >>> 17) | (rot << 15);
    }
}
