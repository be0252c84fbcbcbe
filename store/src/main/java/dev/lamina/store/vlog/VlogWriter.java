package dev.lamina.store.vlog;

import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import dev.lamina.store.version.FileNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

/**
 * Writes the values separated by one flush or compaction into new value-log files, starting a new file at the
 * maximum size. Files are written as {@code NNNNNN.vlog.tmp} and installed by {@link #finish()} (fsync, rename),
 * which the caller does, and then syncs the directory, before recording any table that points into them. Their numbers
 * stay in {@code pendingOutputs} until the caller has recorded them in the manifest. A new file overwrites a kept
 * obsolete one when there is one ({@link RecycledVlogFiles}).
 */
public final class VlogWriter {
    private final FileSystem fs;
    private final Path dir;
    private final LongSupplier newFileNumber;
    private final long maxFileSize;
    private final Set<Long> pendingOutputs;
    private final RecycledVlogFiles recycled;
    private final long expectedBytes;
    private final List<Open> files = new ArrayList<>();
    private Open current;
    private boolean finished;

    /**
     * {@code recycled} may be null: every file is then created afresh. {@code expectedBytes} is about how much this
     * writer will write; it picks the kept file to write over.
     */
    public VlogWriter(FileSystem fs, Path dir, LongSupplier newFileNumber, long maxFileSize,
            Set<Long> pendingOutputs, RecycledVlogFiles recycled, long expectedBytes) {
        this.fs = fs;
        this.dir = dir;
        this.newFileNumber = newFileNumber;
        this.maxFileSize = maxFileSize;
        this.pendingOutputs = pendingOutputs;
        this.recycled = recycled;
        this.expectedBytes = expectedBytes;
    }

    private static final class Open {
        final long number;
        final Path path;
        final Path temp;
        final WritableFile file;
        long entries;

        Open(long number, Path path, Path temp, WritableFile file) {
            this.number = number;
            this.path = path;
            this.temp = temp;
            this.file = file;
        }
    }

    /** Appends one entry and returns the pointer to it. */
    public ValuePointer add(byte[] userKey, byte[] value) {
        roomFor(VlogFormat.entrySize(userKey.length, value.length));
        byte[] lengths = new byte[VlogFormat.ENTRY_HEADER_SIZE];
        Coding.putFixed32(lengths, 0, userKey.length);
        Coding.putFixed32(lengths, 4, value.length);
        CRC32C crc = new CRC32C();
        crc.update(lengths);
        crc.update(userKey);
        crc.update(value);
        int checksum = Crc32c.mask((int) crc.getValue());
        byte[] trailer = new byte[VlogFormat.ENTRY_TRAILER_SIZE];
        Coding.putFixed32(trailer, 0, checksum);
        long offset = current.file.size();
        current.file.append(lengths);
        current.file.append(userKey);
        current.file.append(value);
        current.file.append(trailer);
        current.entries++;
        return new ValuePointer(current.number, offset, userKey.length, value.length, checksum);
    }

    /**
     * Appends a whole entry as {@link ValueLog#readEntry} returned it for {@code old} (moved by garbage collection)
     * and returns the pointer to the copy; the entry keeps its CRC.
     */
    public ValuePointer addEntry(byte[] entry, ValuePointer old) {
        roomFor(entry.length);
        long offset = current.file.size();
        current.file.append(entry);
        current.entries++;
        return new ValuePointer(current.number, offset, old.keySize(), old.valueSize(), old.checksum());
    }

    /** Starts a file if none is open, or if an entry of {@code size} bytes would take this one past the maximum. */
    private void roomFor(long size) {
        if (current == null || (current.file.size() + size > maxFileSize && current.entries > 0)) {
            startFile();
        }
    }

    private void startFile() {
        long number = newFileNumber.getAsLong();
        pendingOutputs.add(number);
        Path path = dir.resolve(FileNames.vlog(number));
        Path temp = FileNames.tempFor(path);
        WritableFile file;
        try {
            long left = Math.max(0, expectedBytes - files.stream().mapToLong(f -> f.file.size()).sum());
            file = recycled == null ? null : recycled.reuseAs(temp, Math.min(Math.max(left, 1), maxFileSize));
            if (file == null) {
                file = fs.create(temp);
            }
        } catch (RuntimeException e) {
            pendingOutputs.remove(number);
            deleteQuietly(temp);
            throw e;
        }
        Open open = new Open(number, path, temp, file);
        files.add(open);
        current = open;
        file.append(header(number));
    }

    private byte[] header(long number) {
        byte[] h = new byte[VlogFormat.HEADER_SIZE];
        Coding.putFixed32(h, 0, VlogFormat.MAGIC);
        Coding.putFixed32(h, 4, VlogFormat.FORMAT_VERSION);
        Coding.putFixed64(h, 8, number);
        Coding.putFixed64(h, 16, System.currentTimeMillis());
        Coding.putFixed64(h, 24, maxFileSize);
        h[VlogFormat.OFFSET_COMPRESSION] = VlogFormat.COMPRESSION_NONE;
        Coding.putFixed32(h, VlogFormat.HEADER_CRC_OFFSET,
                Crc32c.mask(Crc32c.compute(h, 0, VlogFormat.HEADER_CRC_OFFSET)));
        return h;
    }

    /** True if no value was written. */
    public boolean isEmpty() {
        return files.isEmpty();
    }

    /**
     * Syncs and renames every file written; returns them. The caller syncs the directory (once for these and its
     * tables) before a manifest names them, and removes them from pendingOutputs later.
     */
    public List<VlogFileMeta> finish() {
        List<VlogFileMeta> out = new ArrayList<>();
        for (Open f : files) {
            f.file.sync();
            f.file.close();
            fs.rename(f.temp, f.path);
            out.add(new VlogFileMeta(f.number, f.file.size(), f.entries));
        }
        finished = true;
        return out;
    }

    /** Removes what an unfinished writer left (temp files); harmless after {@link #finish()} succeeded. */
    public void abandonIfUnfinished() {
        if (finished) {
            return;
        }
        finished = true;
        for (Open f : files) {
            try {
                f.file.close();
            } catch (RuntimeException e) {
                // already failing; the first error is the one reported
            }
            deleteQuietly(f.temp);
            pendingOutputs.remove(f.number);
        }
    }

    private void deleteQuietly(Path temp) {
        try {
            fs.delete(temp);
        } catch (RuntimeException e) {
            // open() removes leftover temp files
        }
    }
}
