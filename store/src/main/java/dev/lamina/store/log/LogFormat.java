package dev.lamina.store.log;

/**
 * Constants of the LevelDB log format, the framing shared by the write-ahead log and the MANIFEST. The format is
 * described byte by byte in {@code docs/formats.md}; keep the two in step.
 *
 * <p>A log is a sequence of {@value #BLOCK_SIZE}-byte blocks (the last one may be short). A block holds physical
 * records ("fragments"), each a {@value #HEADER_SIZE}-byte header followed by its payload. A logical record that
 * does not fit in the rest of a block is split into a {@link #FIRST}, zero or more {@link #MIDDLE} and a
 * {@link #LAST} fragment; one that fits is a single {@link #FULL} fragment. Fewer than {@value #HEADER_SIZE} bytes
 * left at the end of a block are zero-filled.
 */
public final class LogFormat {
    /** Size of a block; fragments never cross a block boundary. */
    public static final int BLOCK_SIZE = 32 * 1024;
    /** Fragment header: masked CRC32C (4 bytes), payload length (2 bytes), type (1 byte). */
    public static final int HEADER_SIZE = 7;

    /** Offset of the masked CRC32C within the header (fixed32, little-endian). */
    public static final int CRC_OFFSET = 0;
    /** Offset of the payload length within the header (fixed16, little-endian). */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the type byte within the header. */
    public static final int TYPE_OFFSET = 6;

    /** Type byte of zero padding; never a valid fragment. */
    public static final int ZERO = 0;
    /** A whole logical record in one fragment. */
    public static final int FULL = 1;
    /** The first fragment of a record split across blocks. */
    public static final int FIRST = 2;
    /** An inner fragment of a record split across blocks. */
    public static final int MIDDLE = 3;
    /** The final fragment of a record split across blocks. */
    public static final int LAST = 4;

    /**
     * Largest logical record the reader assembles. Java arrays stop just short of 2 GiB; a longer chain of
     * fragments can only be damage or forgery, so the reader reports it instead of failing to allocate.
     */
    public static final int MAX_RECORD_SIZE = Integer.MAX_VALUE - 8;

    private LogFormat() {
    }

    /** True for the four fragment types a writer produces. */
    static boolean isFragmentType(int type) {
        return type >= FULL && type <= LAST;
    }

    static String typeName(int type) {
        return switch (type) {
            case ZERO -> "ZERO";
            case FULL -> "FULL";
            case FIRST -> "FIRST";
            case MIDDLE -> "MIDDLE";
            case LAST -> "LAST";
            default -> "UNKNOWN(" + type + ")";
        };
    }
}
