package dev.lamina.store.log;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import java.util.Objects;

/**
 * Appends logical records to a file in the LevelDB log format ({@link LogFormat}). By default every record is handed
 * to the operating system ({@link WritableFile#flush()}) before {@link #addRecord} returns, so it survives a crash of
 * the process; a {@linkplain #buffered buffered} writer leaves records in the file's buffer until it fills or
 * {@link #sync()} runs (the write-ahead log: only committed writes are promised, and a system call per put is
 * what would cost most). {@link #sync()} makes everything written survive power loss. Not thread-safe.
 *
 * <p>After an I/O error the file may end in a partial record, and appending behind it would turn that torn tail
 * into corruption in the middle of the log; the writer therefore refuses further records once a write failed.
 */
public final class LogWriter implements AutoCloseable {
    private static final byte[] ZEROES = new byte[LogFormat.HEADER_SIZE];

    private final WritableFile file;
    private final byte[] header = new byte[LogFormat.HEADER_SIZE];
    /** Physical bytes in the file, including what was there before this writer. */
    private long size;
    /** Where the next fragment starts within its block. */
    private int blockOffset;
    private LaminaIOException failure;
    private boolean flushEachRecord = true;

    /** Writes a new log into an empty file. */
    public LogWriter(WritableFile file) {
        this(file, 0);
    }

    /**
     * Continues a log whose file already holds {@code existingLength} bytes (a log that ended cleanly; appending
     * after a torn tail would make the tail look like corruption).
     */
    public LogWriter(WritableFile file, long existingLength) {
        if (existingLength < 0) {
            throw new IllegalArgumentException("negative length " + existingLength);
        }
        this.file = Objects.requireNonNull(file, "file");
        this.size = existingLength;
        this.blockOffset = (int) (existingLength % LogFormat.BLOCK_SIZE);
    }

    /** A writer for a new log that does not flush each record to the operating system. */
    public static LogWriter buffered(WritableFile file) {
        LogWriter writer = new LogWriter(file);
        writer.flushEachRecord = false;
        return writer;
    }

    /** Appends one logical record (possibly empty) and, unless buffered, flushes it to the operating system. */
    public void addRecord(byte[] payload) {
        addRecord(payload, 0, payload.length);
    }

    /** Appends {@code payload[off, off + len)} as one logical record; see {@link #addRecord(byte[])}. */
    public void addRecord(byte[] payload, int off, int len) {
        Objects.checkFromIndexSize(off, len, payload.length);
        if (failure != null) {
            throw new LaminaIOException("log writer failed earlier; no further records", file.path(), failure);
        }
        try {
            writeFragments(payload, off, len);
            if (flushEachRecord) {
                file.flush();
            }
        } catch (LaminaIOException e) {
            failure = e;
            throw e;
        }
    }

    private void writeFragments(byte[] payload, int off, int len) {
        int left = len;
        int at = off;
        boolean first = true;
        // do-while: an empty record still needs one (empty) FULL fragment.
        do {
            int leftInBlock = LogFormat.BLOCK_SIZE - blockOffset;
            if (leftInBlock < LogFormat.HEADER_SIZE) {
                // No room for a header: pad the block so the next header starts at a block boundary.
                if (leftInBlock > 0) {
                    append(ZEROES, 0, leftInBlock);
                }
                blockOffset = 0;
                leftInBlock = LogFormat.BLOCK_SIZE;
            }
            // With exactly HEADER_SIZE bytes left this is 0: a zero-length FIRST fragment, as LevelDB writes it.
            int fragmentLength = Math.min(left, leftInBlock - LogFormat.HEADER_SIZE);
            boolean last = fragmentLength == left;
            int type = first ? (last ? LogFormat.FULL : LogFormat.FIRST) : (last ? LogFormat.LAST : LogFormat.MIDDLE);
            writeFragment(type, payload, at, fragmentLength);
            at += fragmentLength;
            left -= fragmentLength;
            first = false;
        } while (left > 0);
    }

    private void writeFragment(int type, byte[] payload, int off, int len) {
        int crc = Crc32c.compute(type, payload, off, len);
        Coding.putFixed32(header, LogFormat.CRC_OFFSET, Crc32c.mask(crc));
        header[LogFormat.LENGTH_OFFSET] = (byte) len;
        header[LogFormat.LENGTH_OFFSET + 1] = (byte) (len >>> 8);
        header[LogFormat.TYPE_OFFSET] = (byte) type;
        append(header, 0, LogFormat.HEADER_SIZE);
        append(payload, off, len);
        blockOffset += LogFormat.HEADER_SIZE + len;
    }

    private void append(byte[] data, int off, int len) {
        if (len > 0) {
            file.append(data, off, len);
            size += len;
        }
    }

    /** Hands every record added so far to the operating system: it then survives a crash of the process. */
    public void flush() {
        try {
            file.flush();
        } catch (LaminaIOException e) {
            failure = e;
            throw e;
        }
    }

    /** Forces every record added so far to stable storage. */
    public void sync() {
        file.sync();
    }

    /** Physical bytes in the log file: headers, payloads and padding. */
    public long size() {
        return size;
    }

    /** The file this writer appends to. */
    public WritableFile file() {
        return file;
    }

    /** Closes the file without syncing it (call {@link #sync()} first if the log must survive power loss). */
    @Override
    public void close() {
        file.close();
    }
}
