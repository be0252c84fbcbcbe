package dev.lamina.store.wal;

/**
 * Constants of the write-ahead log's record payloads. Each payload is one logical record of the LevelDB log format
 * ({@link dev.lamina.store.log.LogFormat}); both layers are described byte by byte in {@code docs/formats.md}.
 *
 * <pre>
 * BATCH:  [type = 1][first sequence fixed64][op count fixed32]
 *         then per op: [kind: 0 delete, 1 put][key length varint32][key] and, for a put, [value length varint32][value]
 * COMMIT: [type = 2][last sequence fixed64][metadata length varint32][metadata]
 * </pre>
 * Integers are little-endian. The sequence of the i-th operation of a batch (from 0) is first sequence + i.
 */
public final class WalFormat {
    /** First byte of a batch record. */
    public static final int TYPE_BATCH = 1;
    /** First byte of a commit record. */
    public static final int TYPE_COMMIT = 2;

    /** Kind byte of a delete operation in a batch. */
    public static final int OP_DELETE = 0;
    /** Kind byte of a put operation in a batch. */
    public static final int OP_PUT = 1;

    /** Type byte, first sequence (8), op count (4). */
    public static final int BATCH_HEADER_SIZE = 1 + 8 + 4;
    /** Type byte, last sequence (8); the metadata length varint follows. */
    public static final int COMMIT_HEADER_SIZE = 1 + 8;
    /** Smallest encoded operation: a delete of an empty key (kind byte and a one-byte length). */
    static final int MIN_OP_SIZE = 2;

    /** File name suffix of write-ahead log files ({@code 000012.log}). */
    public static final String FILE_SUFFIX = ".log";
    /** Log numbers are zero-padded to at least this many digits in file names. */
    public static final int FILE_NUMBER_DIGITS = 6;

    private WalFormat() {
    }
}
