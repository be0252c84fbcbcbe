package dev.lamina.store.wal;

/**
 * Constants of the write-ahead log's record payloads. Each payload is one logical record of the LevelDB log format
 * ({@link dev.lamina.store.log.LogFormat}); both layers are described byte by byte in {@code docs/formats.md}.
 *
 * <pre>
 * BATCH:  [type = 1][first sequence fixed64][op count fixed32]
 *         then per op: [kind: 0 delete, 1 put][key length varint32][key] and, for a put, [value length varint32][value]
 * COMMIT: [type = 2][last sequence fixed64][metadata length varint32][metadata]
 * ENTRIES: [type = 3][entry count fixed32]
 *         then per entry: [kind: 0 delete, 1 put][sequence fixed64][key length varint32][key] and, for a put,
 *         [value length varint32][value]
 * </pre>
 * Integers are little-endian. The sequence of the i-th operation of a batch (from 0) is first sequence + i.
 *
 * <p>The engine writes ENTRIES records at a commit: the newest entry of every key written since the previous commit,
 * each with its own sequence, followed by the COMMIT record. Recovery applies ENTRIES records only when the COMMIT
 * after them is read, so a commit torn by a crash leaves nothing of itself. BATCH records are no longer written but
 * are still replayed (immediately, as before) from logs of older versions.
 */
public final class WalFormat {
    /** First byte of a batch record. */
    public static final int TYPE_BATCH = 1;
    /** First byte of a commit record. */
    public static final int TYPE_COMMIT = 2;
    /** First byte of an entries record (the newest entries of a commit, each with its own sequence). */
    public static final int TYPE_ENTRIES = 3;

    /** Kind byte of a delete operation in a batch. */
    public static final int OP_DELETE = 0;
    /** Kind byte of a put operation in a batch. */
    public static final int OP_PUT = 1;

    /** Type byte, first sequence (8), op count (4). */
    public static final int BATCH_HEADER_SIZE = 1 + 8 + 4;
    /** Type byte, last sequence (8); the metadata length varint follows. */
    public static final int COMMIT_HEADER_SIZE = 1 + 8;
    /** Type byte, entry count (4). */
    public static final int ENTRIES_HEADER_SIZE = 1 + 4;
    /** Smallest encoded entry: a delete of an empty key (kind byte, sequence, a one-byte length). */
    static final int MIN_ENTRY_SIZE = 1 + 8 + 1;
    /** Smallest encoded operation: a delete of an empty key (kind byte and a one-byte length). */
    static final int MIN_OP_SIZE = 2;

    /** File name suffix of write-ahead log files ({@code 000012.log}). */
    public static final String FILE_SUFFIX = ".log";
    /** Log numbers are zero-padded to at least this many digits in file names. */
    public static final int FILE_NUMBER_DIGITS = 6;

    private WalFormat() {
    }
}
