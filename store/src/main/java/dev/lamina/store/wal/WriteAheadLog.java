package dev.lamina.store.wal;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.StoreClosedException;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.log.LogWriter;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: records appended to numbered files {@code NNNNNN.log} in the LevelDB log format, with
 * rotation to a new file and group commit.
 *
 * <p>Positions: {@link #append} returns a logical position, the number of physical bytes this instance has written
 * across all its files so far. Positions only grow, across rotations too, so a committer can wait for "everything
 * up to here" with {@link #syncTo} without knowing which file its record landed in.
 *
 * <p>Group commit: callers of {@link #syncTo} whose positions are not yet durable elect one leader, which fsyncs
 * the current file once for everything written so far; the others wait and are covered by that fsync, or lead the
 * next one. {@link #syncCount()} counts the file syncs.
 *
 * <p>Failure: if a write or an fsync fails, the log is poisoned and every later call (and every waiter not already
 * covered by an earlier successful fsync) throws {@link LaminaIOException}. After a failed fsync the kernel may have
 * dropped the dirty pages and a retry could "succeed" without the data, so nothing is retried; the store must be
 * reopened, which replays what actually reached the disk.
 *
 * <p>Threads: {@link #append}, {@link #rotate} and {@link #close} must be serialized by the caller (the engine's
 * write lock); {@link #syncTo} may be called from any thread at any time.
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

    private final FileSystem fs;
    private final Path dir;

    /** Held while bytes go into the current file and while the file is replaced. */
    private final ReentrantLock fileLock = new ReentrantLock();
    /**
     * Held for an fsync, and by {@link #rotate} and {@link #close} (always taken before {@code fileLock}), so a file
     * is never closed under an fsync. Appends do not wait for an fsync: {@link WritableFile#sync()} is safe beside
     * appends.
     */
    private final ReentrantLock syncLock = new ReentrantLock();
    private LogWriter writer;
    /** Logical position at which the current file starts. */
    private long fileStartPosition;
    private volatile long endPosition;
    private volatile long logNumber;
    private volatile boolean closed;
    /** The current file's directory entry is not yet synced: the next file sync syncs the directory too. */
    private boolean directorySyncPending;

    private volatile LaminaIOException failure;
    private final GroupCommit groupCommit = new GroupCommit(this::syncCurrentFile, this::ensureUsable);
    private final AtomicLong syncCount = new AtomicLong();

    /**
     * Creates log file {@code dir/NNNNNN.log} and syncs the directory so that the new file survives power loss.
     *
     * @throws IllegalStateException if that file already exists: log numbers are never reused, and truncating an
     *                               existing log could destroy data not yet replayed
     */
    public WriteAheadLog(FileSystem fs, Path dir, long logNumber) {
        this.fs = Objects.requireNonNull(fs, "fs");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.writer = LogWriter.buffered(createLogFile(logNumber, true));
        this.logNumber = logNumber;
    }

    private WritableFile createLogFile(long number, boolean syncDirectory) {
        Path path = path(dir, number);
        if (fs.exists(path)) {
            throw new IllegalStateException("write-ahead log file already exists: " + path);
        }
        WritableFile file = fs.create(path);
        try {
            if (syncDirectory) {
                fs.syncDirectory(dir);
            }
        } catch (RuntimeException e) {
            closeAfterFailure(file, e);
            // Leave no empty file behind: a retry with the same number would otherwise be refused.
            try {
                fs.delete(path);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        LOG.debug("Created write-ahead log {}", path);
        return file;
    }

    /**
     * Appends one record to the log's buffer; {@link #syncTo} makes it durable (before that even a process crash may
     * lose it).
     *
     * @return the logical position just after the record, to pass to {@link #syncTo}
     */
    public long append(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        fileLock.lock();
        try {
            ensureUsable();
            try {
                writer.addRecord(payload);
            } catch (LaminaIOException e) {
                throw poison(e);
            }
            endPosition = fileStartPosition + writer.size();
            return endPosition;
        } finally {
            fileLock.unlock();
        }
    }

    /**
     * Hands every record appended so far to the operating system, without an fsync: they then survive a crash of
     * the process, not a power loss. Serialized with {@link #append} by the caller, like it.
     */
    public void writeOut() {
        fileLock.lock();
        try {
            ensureUsable();
            try {
                writer.flush();
            } catch (LaminaIOException e) {
                throw poison(e);
            }
        } finally {
            fileLock.unlock();
        }
    }

    /** Makes every record appended so far durable; returns at once if it is. See {@link #syncTo}. */
    public void syncAll() {
        syncTo(endPosition);
    }

    /** Bytes appended to the current file so far (since the last rotation). */
    public long currentFileSize() {
        return endPosition - fileStartPosition;
    }

    /**
     * Returns once every record up to {@code position} is on stable storage. Concurrent callers share fsyncs.
     *
     * @throws IllegalArgumentException if {@code position} is past the end of what was appended
     * @throws LaminaIOException        if the log failed before {@code position} became durable
     * @throws StoreClosedException     if the log was closed without making {@code position} durable
     */
    public void syncTo(long position) {
        if (position > endPosition) {
            throw new IllegalArgumentException("position " + position + " is past the end of the log " + endPosition);
        }
        groupCommit.awaitSynced(position);
    }

    /** Fsyncs the current file; returns the position it made durable. */
    private long syncCurrentFile() {
        syncLock.lock();
        try {
            LogWriter current;
            long position;
            fileLock.lock();
            try {
                ensureUsable();
                current = writer;
                position = endPosition;
            } finally {
                fileLock.unlock();
            }
            try {
                current.sync();
                syncDirectoryIfPending();
            } catch (LaminaIOException e) {
                throw poison(e);
            }
            syncCount.incrementAndGet();
            return position;
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Syncs the current file completely (unless everything in it is durable already), closes it, and continues in a
     * new file {@code dir/NNNNNN.log} for {@code newLogNumber}. The new file's directory entry is synced with its
     * first sync, not here: a rotation happens on the write path, where a directory sync (an ext4 journal commit)
     * cost tens of milliseconds, and until a record in the new file is synced a crash loses nothing by losing the
     * file. Waits for an fsync in flight. If the new file cannot be created, the log stays on the current file.
     */
    public void rotate(long newLogNumber) {
        syncLock.lock();
        fileLock.lock();
        try {
            ensureUsable();
            if (newLogNumber <= logNumber) {
                throw new IllegalArgumentException("new log number " + newLogNumber + " is not above " + logNumber);
            }
            long oldEnd = endPosition;
            // A file whose records are all durable had its directory entry synced with them; an empty one may be
            // lost in a crash at no cost.
            if (groupCommit.syncedPosition() < oldEnd) {
                try {
                    writer.sync();
                    syncDirectoryIfPending();
                } catch (LaminaIOException e) {
                    throw poison(e);
                }
                syncCount.incrementAndGet();
                groupCommit.markSynced(oldEnd);
            }
            LogWriter old = writer;
            writer = LogWriter.buffered(createLogFile(newLogNumber, false));
            directorySyncPending = true;
            fileStartPosition = oldEnd;
            logNumber = newLogNumber;
            old.close();
        } finally {
            fileLock.unlock();
            syncLock.unlock();
        }
    }

    /** Called with the sync lock held, after the current file's sync. */
    private void syncDirectoryIfPending() {
        if (directorySyncPending) {
            try {
                fs.syncDirectory(dir);
            } catch (RuntimeException e) {
                throw e instanceof LaminaIOException l ? l
                        : new LaminaIOException("sync of the directory of a write-ahead log failed", writerPath(), e);
            }
            directorySyncPending = false;
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new StoreClosedException("write-ahead log closed");
        }
        if (failure != null) {
            throw new LaminaIOException("write-ahead log failed earlier; reopen the store", writerPath(), failure);
        }
    }

    private LaminaIOException poison(LaminaIOException e) {
        if (failure == null) {
            failure = e;
            LOG.error("Write-ahead log {} failed; refusing further writes until the store is reopened",
                    writerPath(), e);
        }
        return e;
    }

    private Path writerPath() {
        return path(dir, logNumber);
    }

    /** Number of the file being appended to. */
    public long logNumber() {
        return logNumber;
    }

    /** Number of file syncs performed: one per group commit, plus one per rotation and one at close. */
    public long syncCount() {
        return syncCount.get();
    }

    /** Physical bytes written across all files of this instance; also the current logical end position. */
    public long bytesWritten() {
        return endPosition;
    }

    /** Syncs (unless the log failed) and closes the current file. Idempotent. */
    @Override
    public void close() {
        syncLock.lock();
        fileLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (failure == null) {
                    writer.sync();
                    syncDirectoryIfPending();
                    syncCount.incrementAndGet();
                    groupCommit.markSynced(endPosition);
                }
            } catch (LaminaIOException e) {
                poison(e);
                closeAfterFailure(writer.file(), e);
                throw e;
            }
            writer.close();
        } finally {
            fileLock.unlock();
            syncLock.unlock();
            // Waiters not covered by the final sync must learn that the log is gone.
            groupCommit.wakeAll();
        }
    }

    private static void closeAfterFailure(WritableFile file, RuntimeException failure) {
        try {
            file.close();
        } catch (RuntimeException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /** File name of log {@code number}: zero-padded to six digits, e.g. {@code 000012.log}. */
    public static String fileName(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("negative log number " + number);
        }
        return String.format("%0" + WalFormat.FILE_NUMBER_DIGITS + "d%s", number, WalFormat.FILE_SUFFIX);
    }

    /** Path of log {@code number} in {@code dir}. */
    public static Path path(Path dir, long number) {
        return dir.resolve(fileName(number));
    }

    /** The log number in a file name such as {@code 000012.log}, or -1 if the name is not a log file's. */
    public static long parseFileName(String name) {
        if (!name.endsWith(WalFormat.FILE_SUFFIX)) {
            return -1;
        }
        String digits = name.substring(0, name.length() - WalFormat.FILE_SUFFIX.length());
        if (digits.length() < WalFormat.FILE_NUMBER_DIGITS || digits.length() > 19
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
