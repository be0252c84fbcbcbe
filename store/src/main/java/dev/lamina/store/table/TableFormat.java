package dev.lamina.store.table;

import dev.lamina.store.Compression;

/**
 * Every constant of the SSTable file format, in one place. The format is described byte by byte in
 * {@code docs/formats.md ("SSTable format")}; a change to any value here is a format change and needs a new
 * {@link #FORMAT_VERSION} and an update of that document.
 *
 * <p>Block compression codes are those of {@link Compression#code()} (0 none, 1 LZ4, 2 Zstd); they are stored in
 * every block trailer and are defined by that enum so that the table and any other user of it agree.
 */
public final class TableFormat {

    /** Stored at the very end of every table. On disk (little-endian) its bytes read {@code LAMINSST}. */
    public static final long MAGIC = 0x5453534E494D414CL;

    /** The only version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /**
     * Fixed footer size: filter handle (2 × fixed64), index handle (2 × fixed64), entry count (fixed64), format
     * version (fixed32), masked CRC32C (fixed32), magic (fixed64).
     */
    public static final int FOOTER_SIZE = 5 * 8 + 4 + 4 + 8;

    /** Bytes of the footer covered by the footer checksum: everything before the checksum field. */
    public static final int FOOTER_CHECKSUMMED_SIZE = 5 * 8 + 4;

    /** After every block: compression code (1 byte) and masked CRC32C (fixed32). */
    public static final int BLOCK_TRAILER_SIZE = 1 + 4;

    /** Entries between restart points in data blocks, unless {@link TableOptions} says otherwise. */
    public static final int DEFAULT_RESTART_INTERVAL = 16;

    /** Every index entry is a restart point, so a seek in the index is a pure binary search. */
    public static final int INDEX_RESTART_INTERVAL = 1;

    public static final int DEFAULT_BLOCK_SIZE = 4096;

    public static final Compression DEFAULT_COMPRESSION = Compression.LZ4;

    public static final int DEFAULT_BLOOM_BITS_PER_KEY = 10;

    /**
     * Largest block, uncompressed, that a writer produces and a reader accepts. A decoder refuses any length
     * beyond it before allocating, so a forged length costs at most this much memory, never an
     * {@link OutOfMemoryError}. It bounds the largest single entry (key plus value) a table can hold.
     */
    public static final int MAX_BLOCK_SIZE = 64 * 1024 * 1024;

    /** A compressed payload may be slightly larger than its input; stored blocks are bounded with this slack. */
    public static final int MAX_STORED_BLOCK_SIZE = MAX_BLOCK_SIZE + 1024;

    /**
     * A compressed block is kept only if it is at most {@code 1 - 1/COMPRESSION_MIN_SAVING_DIVISOR} of the raw
     * size; otherwise the raw block is stored, because decompressing costs more than the few bytes save.
     */
    public static final int COMPRESSION_MIN_SAVING_DIVISOR = 8;

    /** Fewest bits in a bloom filter, so that tiny tables still get a useful false-positive rate. */
    public static final int MIN_BLOOM_BITS = 64;

    /** Most bits in a bloom filter, so that the filter block stays within {@link #MAX_BLOCK_SIZE}. */
    public static final long MAX_BLOOM_BITS = 8L * (MAX_BLOCK_SIZE - 1);

    /** Probe count bounds; the count actually used is stored in the filter's last byte. */
    public static final int MIN_BLOOM_PROBES = 1;
    public static final int MAX_BLOOM_PROBES = 30;

    /** Seed of the 32-bit Murmur3 hash of user keys used by the bloom filter. */
    public static final int BLOOM_HASH_SEED = 0x9747b28c;

    private TableFormat() {
    }
}
