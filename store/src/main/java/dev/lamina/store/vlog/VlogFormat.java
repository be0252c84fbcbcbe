package dev.lamina.store.vlog;

/**
 * Constants of the value-log file format ({@code NNNNNN.vlog}), described byte by byte in {@code docs/formats.md}
 * ("Value log"). A change to any value here is a format change.
 *
 * <pre>
 * header (HEADER_SIZE bytes):
 *   magic fixed32 | format version fixed32 | file number fixed64 | creation time (ms) fixed64
 *   | maximum file size fixed64 | compression byte | 3 zero bytes | masked CRC32C of the 36 bytes before fixed32
 * entry, repeated:
 *   key length fixed32 | value length fixed32 | key | value | masked CRC32C of everything before it fixed32
 * </pre>
 */
public final class VlogFormat {
    public static final int MAGIC = 0x474c564c;
    public static final int FORMAT_VERSION = 1;
    public static final int HEADER_SIZE = 40;
    /** Offset of the header CRC; it covers bytes [0, HEADER_CRC_OFFSET). */
    public static final int HEADER_CRC_OFFSET = 36;
    public static final int OFFSET_COMPRESSION = 32;
    /** Only uncompressed values so far; the byte is there so a later format can add compression per file. */
    public static final int COMPRESSION_NONE = 0;
    /** Key length and value length before the key. */
    public static final int ENTRY_HEADER_SIZE = 8;
    public static final int ENTRY_TRAILER_SIZE = 4;

    private VlogFormat() {
    }

    /** Bytes an entry of these sizes takes in the file. */
    public static long entrySize(int keySize, int valueSize) {
        return (long) ENTRY_HEADER_SIZE + keySize + valueSize + ENTRY_TRAILER_SIZE;
    }
}
