package dev.lamina.store.vlog;

import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.version.FileNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Obsolete value-log files kept to be written again as new ones, instead of being deleted and new ones created.
 * Under steady overwrites garbage collection deletes value-log bytes as fast as flushes write them; on a disk
 * mounted with {@code discard} every deleted block is trimmed, which costs the device as much as writing it, and
 * each new file's blocks must be allocated again. A kept file is renamed {@code NNNNNN.recycle}; a writer that
 * starts a value-log file renames one to its temp name and overwrites it ({@link FileSystem#reuse}).
 *
 * <p>At most {@code maxFiles} are kept; more are deleted. Nothing reads a kept file: it was obsolete (no live version
 * or iterator refers to it) when it was offered, and its old bytes are overwritten or cut off before the new file is
 * installed. A crash leaves kept files behind; open deletes them. Thread-safe.
 */
public final class RecycledVlogFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RecycledVlogFiles.class);

    private final FileSystem fs;
    private final Path dir;
    private final int maxFiles;
    /** The kept files: number to size in bytes. */
    private final Map<Long, Long> kept = new HashMap<>();
    private long reused;

    public RecycledVlogFiles(FileSystem fs, Path dir, int maxFiles) {
        this.fs = fs;
        this.dir = dir;
        this.maxFiles = maxFiles;
    }

    /**
     * Keeps the obsolete value-log file {@code number} if there is room, renaming it; returns false if it was not
     * kept (the caller deletes it).
     */
    public synchronized boolean offer(long number) {
        if (kept.size() >= maxFiles) {
            return false;
        }
        Path path = dir.resolve(FileNames.vlog(number));
        long size = fs.size(path);
        fs.rename(path, dir.resolve(FileNames.recycle(number)));
        kept.put(number, size);
        return true;
    }

    /**
     * Renames a kept file to {@code temp} and opens it to be overwritten, or returns null if none is kept. The file
     * picked is the largest of at most {@code expectedBytes}, else the smallest: what is written beyond a file's end
     * only grows it, but what is left over is cut off, and a disk that trims pays for that as for writing it.
     * If opening fails, the file stays under {@code temp}, which the caller deletes as it would a file it created.
     */
    WritableFile reuseAs(Path temp, long expectedBytes) {
        long number;
        synchronized (this) {
            if (kept.isEmpty()) {
                return null;
            }
            number = pick(expectedBytes);
            kept.remove(number);
        }
        fs.rename(dir.resolve(FileNames.recycle(number)), temp);
        WritableFile file = fs.reuse(temp);
        synchronized (this) {
            reused++;
        }
        return file;
    }

    private long pick(long expectedBytes) {
        long best = -1;
        long bestSize = 0;
        for (Map.Entry<Long, Long> e : kept.entrySet()) {
            long size = e.getValue();
            boolean within = size <= expectedBytes;
            boolean bestWithin = best >= 0 && bestSize <= expectedBytes;
            if (best < 0 || (within ? !bestWithin || size > bestSize : !bestWithin && size < bestSize)) {
                best = e.getKey();
                bestSize = size;
            }
        }
        return best;
    }

    /** Deletes every kept file: when the store closes, or when a full compaction is asked to give space back. */
    public void deleteAll() {
        while (true) {
            long number;
            synchronized (this) {
                if (kept.isEmpty()) {
                    return;
                }
                number = kept.keySet().iterator().next();
                kept.remove(number);
            }
            try {
                fs.delete(dir.resolve(FileNames.recycle(number)));
            } catch (RuntimeException e) {
                // Harmless: open deletes it.
                LOG.warn("Deleting the kept value-log file {} of {} failed", number, dir, e);
            }
        }
    }

    /** Kept files now. */
    public synchronized int keptFiles() {
        return kept.size();
    }

    /** Bytes of the kept files: disk space the store holds beyond its live files. */
    public synchronized long keptBytes() {
        return kept.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Value-log files written over a kept one so far. */
    public synchronized long reusedFiles() {
        return reused;
    }
}
