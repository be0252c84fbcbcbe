package dev.lamina.store.log;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.util.ByteWriter;
import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the logical records of a file in the LevelDB log format ({@link LogFormat}) from start to end, one block at
 * a time. Not thread-safe.
 *
 * <p>Damage is classified so that recovery never loses acknowledged data silently and never refuses to open after
 * an ordinary crash:
 * <ul>
 *   <li><b>torn tail</b> &mdash; a fragment that is cut short or fails its checks, with no valid fragment anywhere
 *       after it. That is what a crash in the middle of an append leaves. {@link #readRecord()} returns null, the
 *       bytes from the start of the unfinished record to the end of the file are counted in
 *       {@link #droppedBytes()}, and a warning is logged;</li>
 *   <li><b>corruption</b> &mdash; a damaged or out-of-order fragment followed by at least one valid fragment: a crash
 *       cannot write after the point it interrupted, so this is lost or altered data, reported as a
 *       {@link CorruptionException} carrying the file and the offset of the damaged fragment.</li>
 * </ul>
 * Zero bytes running to the end of the file are padding (some file systems zero-fill a file extended before a crash),
 * not damage. The search for a later valid fragment checks every offset in the rest of the damaged block and the
 * first fragment of every later block, since each block begins at a fragment boundary.
 *
 * <p><b>Lost pages.</b> A file system may write the dirty pages of an unsynced file back in any order and extend the
 * file before all its data is written (XFS, ext4 with delayed allocation), so after a power cut the unsynced end of
 * a log can hold a page of zeros with later pages intact. A reader made with {@code lostPagesPossible} (for the
 * newest write-ahead log, whose end may be unsynced) treats damage as a torn tail, not corruption, when a run of
 * zero bytes that ends at a {@value #PAGE_SIZE}-byte page boundary lies between the damaged fragment and the next
 * valid one, and either starts at the damaged fragment (its header is zeros: the unsynced rest of a page) or is a
 * whole page or at least {@value #MIN_LOST_RUN} bytes long. Nothing after such a
 * hole can have been covered by a completed sync (a sync covers every byte written before it, the lost ones too),
 * so dropping it loses no acknowledged write unless the zeros are media damage: that is the price, see
 * docs/reliability.md.
 */
public final class LogReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogReader.class);
    /** Granularity at which a file system may lose unsynced data: the page size of common systems. */
    static final int PAGE_SIZE = 4096;
    /** The shortest zero run, short of a whole page, taken for the lost end of a page rather than for data. */
    static final int MIN_LOST_RUN = 64;

    private final ReadableFile file;
    private final long fileSize;
    private final boolean lostPagesPossible;
    private final byte[] block = new byte[LogFormat.BLOCK_SIZE];
    /** File offset of the block in {@link #block}. */
    private long blockStart = -LogFormat.BLOCK_SIZE;
    /** Bytes of {@link #block} read from the file: less than a block only for the last block. */
    private int blockLength;
    /** Where the next fragment starts within the block; starts past the end to force loading block 0. */
    private int blockPos = LogFormat.BLOCK_SIZE;
    private boolean finished;
    private long droppedBytes;
    private long lastRecordOffset = -1;

    /** Reads {@code file} from its start; its size is taken now. The caller keeps ownership until {@link #close()}. */
    public LogReader(ReadableFile file) {
        this(file, false);
    }

    /**
     * Reads {@code file} from its start; {@code lostPagesPossible} when its end may not have been synced before a
     * power cut (the newest write-ahead log), so that pages lost out of order read as a torn tail (see above).
     */
    public LogReader(ReadableFile file, boolean lostPagesPossible) {
        this.file = Objects.requireNonNull(file, "file");
        this.fileSize = file.size();
        this.lostPagesPossible = lostPagesPossible;
    }

    /**
     * The next logical record, or null at the end of the log, including after a torn tail.
     *
     * @throws CorruptionException if a damaged fragment is followed by valid ones
     */
    public byte[] readRecord() {
        if (finished) {
            return null;
        }
        ByteWriter assembly = null;
        long recordStart = -1;
        while (true) {
            if (LogFormat.BLOCK_SIZE - blockPos < LogFormat.HEADER_SIZE) {
                // The rest of this block is the writer's zero trailer (or the file ends inside it).
                loadBlock(blockStart + LogFormat.BLOCK_SIZE);
            }
            long offset = blockStart + blockPos;
            if (blockPos == blockLength) {
                return endOfFile(assembly != null, recordStart);
            }
            String problem = fragmentProblem(block, blockPos, blockLength);
            if (problem != null) {
                return damaged(offset, problem, assembly != null, recordStart);
            }
            int length = fragmentLength(block, blockPos);
            int type = block[blockPos + LogFormat.TYPE_OFFSET] & 0xff;
            int payloadStart = blockPos + LogFormat.HEADER_SIZE;
            blockPos = payloadStart + length;
            switch (type) {
                case LogFormat.FULL -> {
                    requireNoPendingRecord(type, offset, assembly != null, recordStart);
                    lastRecordOffset = offset;
                    return Arrays.copyOfRange(block, payloadStart, payloadStart + length);
                }
                case LogFormat.FIRST -> {
                    requireNoPendingRecord(type, offset, assembly != null, recordStart);
                    recordStart = offset;
                    assembly = new ByteWriter(2 * LogFormat.BLOCK_SIZE);
                    assembly.writeBytes(block, payloadStart, length);
                }
                case LogFormat.MIDDLE, LogFormat.LAST -> {
                    if (assembly == null) {
                        throw new CorruptionException(LogFormat.typeName(type) + " fragment without a FIRST before it",
                                file.path(), offset);
                    }
                    if ((long) assembly.size() + length > LogFormat.MAX_RECORD_SIZE) {
                        throw new CorruptionException("log record larger than " + LogFormat.MAX_RECORD_SIZE
                                + " bytes", file.path(), recordStart);
                    }
                    assembly.writeBytes(block, payloadStart, length);
                    if (type == LogFormat.LAST) {
                        lastRecordOffset = recordStart;
                        return assembly.toByteArray();
                    }
                }
                default -> throw new AssertionError("type checked above: " + type);
            }
        }
    }

    private void requireNoPendingRecord(int type, long offset, boolean inRecord, long recordStart) {
        if (inRecord) {
            throw new CorruptionException(LogFormat.typeName(type) + " fragment inside the record started at offset "
                    + recordStart + ", which has no LAST fragment", file.path(), offset);
        }
    }

    private byte[] endOfFile(boolean inRecord, long recordStart) {
        finished = true;
        if (inRecord) {
            reportTornTail(recordStart, "the file ends inside a record");
        }
        return null;
    }

    /** Decides between a torn tail (returns null) and corruption (throws) for a bad fragment at {@code offset}. */
    private byte[] damaged(long offset, String problem, boolean inRecord, long recordStart) {
        long next = validFragmentAfter(offset);
        if (next >= 0) {
            if (!lostPagesPossible || !lostPageBetween(offset, next)) {
                throw new CorruptionException("damaged log fragment (" + problem + ") followed by valid fragments",
                        file.path(), offset);
            }
            finished = true;
            reportTornTail(inRecord ? recordStart : offset, problem + "; zeros up to a page boundary before the "
                    + "valid fragment at offset " + next + ": pages of an unsynced end lost at a power cut");
            return null;
        }
        finished = true;
        if (!inRecord && onlyZeroesFrom(offset)) {
            return null; // zero padding to the end of the file: a clean end
        }
        reportTornTail(inRecord ? recordStart : offset, problem);
        return null;
    }

    private void reportTornTail(long from, String problem) {
        droppedBytes = fileSize - from;
        LOG.warn("Log {} has a torn tail at offset {} ({}): dropping {} bytes a crash left unfinished", file.path(),
                from, problem, droppedBytes);
    }

    /**
     * Null if a valid fragment starts at {@code pos} of {@code buf} (a block-aligned buffer holding {@code limit}
     * bytes of one block), otherwise why not.
     */
    private static String fragmentProblem(byte[] buf, int pos, int limit) {
        if (limit - pos < LogFormat.HEADER_SIZE) {
            return "header cut off by the end of the file";
        }
        int type = buf[pos + LogFormat.TYPE_OFFSET] & 0xff;
        if (!LogFormat.isFragmentType(type)) {
            return "invalid fragment type " + type;
        }
        int length = fragmentLength(buf, pos);
        int end = pos + LogFormat.HEADER_SIZE + length;
        if (end > LogFormat.BLOCK_SIZE) {
            return "length " + length + " runs past the end of its block";
        }
        if (end > limit) {
            return "fragment cut off by the end of the file";
        }
        int expected = Crc32c.unmask(Coding.getFixed32(buf, pos + LogFormat.CRC_OFFSET));
        int actual = Crc32c.compute(type, buf, pos + LogFormat.HEADER_SIZE, length);
        if (expected != actual) {
            return "checksum mismatch";
        }
        return null;
    }

    private static int fragmentLength(byte[] buf, int pos) {
        return (buf[pos + LogFormat.LENGTH_OFFSET] & 0xff) | (buf[pos + LogFormat.LENGTH_OFFSET + 1] & 0xff) << 8;
    }

    /**
     * Offset of the first valid fragment found after the damaged one at {@code offset} (which lies in the loaded
     * block), or -1 if there is none.
     */
    private long validFragmentAfter(long offset) {
        for (int pos = (int) (offset - blockStart) + 1; pos + LogFormat.HEADER_SIZE <= blockLength; pos++) {
            if (fragmentProblem(block, pos, blockLength) == null) {
                return blockStart + pos;
            }
        }
        byte[] scratch = new byte[LogFormat.BLOCK_SIZE];
        for (long start = blockStart + LogFormat.BLOCK_SIZE; start < fileSize; start += LogFormat.BLOCK_SIZE) {
            int wanted = (int) Math.min(LogFormat.BLOCK_SIZE, fileSize - start);
            // Read the header first: most damaged blocks are rejected by it without reading the payload.
            int n = file.read(start, scratch, 0, Math.min(wanted, LogFormat.HEADER_SIZE));
            if (n < LogFormat.HEADER_SIZE || !LogFormat.isFragmentType(scratch[LogFormat.TYPE_OFFSET] & 0xff)) {
                continue;
            }
            int end = Math.min(wanted, LogFormat.HEADER_SIZE + fragmentLength(scratch, 0));
            n += file.read(start + n, scratch, n, end - n);
            if (fragmentProblem(scratch, 0, n) == null) {
                return start;
            }
        }
        return -1;
    }

    /**
     * Whether {@code [from, to)} holds a run of zeros ending at a page boundary that is a whole page or at least
     * {@link #MIN_LOST_RUN} long: what a page lost at a power cut leaves, wholly or after its synced start.
     */
    private boolean lostPageBetween(long from, long to) {
        long firstBoundary = (from / PAGE_SIZE + 1) * PAGE_SIZE;
        byte[] page = new byte[PAGE_SIZE];
        for (long boundary = firstBoundary; boundary <= to; boundary += PAGE_SIZE) {
            long pageStart = boundary - PAGE_SIZE;
            int n = file.read(pageStart, page, 0, PAGE_SIZE);
            if (n < PAGE_SIZE) {
                return false;
            }
            int zeros = 0;
            while (zeros < PAGE_SIZE && page[PAGE_SIZE - 1 - zeros] == 0) {
                zeros++;
            }
            long runStart = boundary - zeros;
            // Zeros from the damaged fragment's first byte to a page boundary: a healthy log never has a zero header
            // at a fragment start, so this is the unsynced rest of a page lost after its synced start, whatever its
            // length (a sync can end anywhere in a page).
            if (zeros > 0 && runStart <= from && boundary == firstBoundary) {
                return true;
            }
            // A run that begins inside the damaged fragment must be long enough not to be a payload's own zeros.
            if (zeros > 0 && runStart >= from && (zeros == PAGE_SIZE || zeros >= MIN_LOST_RUN)) {
                return true;
            }
            if (zeros == PAGE_SIZE && runStart < from) {
                return true; // a whole zero page overlapping the damaged fragment
            }
        }
        return false;
    }

    private boolean onlyZeroesFrom(long offset) {
        for (int pos = (int) (offset - blockStart); pos < blockLength; pos++) {
            if (block[pos] != 0) {
                return false;
            }
        }
        byte[] scratch = new byte[LogFormat.BLOCK_SIZE];
        for (long start = blockStart + blockLength; start < fileSize; ) {
            int n = file.read(start, scratch, 0, (int) Math.min(scratch.length, fileSize - start));
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (scratch[i] != 0) {
                    return false;
                }
            }
            start += n;
        }
        return true;
    }

    private void loadBlock(long start) {
        blockStart = start;
        blockPos = 0;
        blockLength = start >= fileSize ? 0
                : file.read(start, block, 0, (int) Math.min(LogFormat.BLOCK_SIZE, fileSize - start));
    }

    /** Bytes dropped as a torn tail; 0 if the log ended cleanly (or has not been read to its end yet). */
    public long droppedBytes() {
        return droppedBytes;
    }

    /** Physical offset of the first fragment of the record last returned, or -1 before the first. */
    public long lastRecordOffset() {
        return lastRecordOffset;
    }

    /** The file being read. */
    public ReadableFile file() {
        return file;
    }

    /** Closes the file. */
    @Override
    public void close() {
        file.close();
    }
}
