package dev.lamina.store.fault;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ForwardingFileSystem;
import dev.lamina.store.io.ForwardingWritableFile;
import dev.lamina.store.io.WritableFile;
import java.nio.file.Path;

/**
 * A disk that holds {@code capacity} bytes of file data. Usage grows with appends and shrinks when files are deleted,
 * truncated by {@code create} or replaced by a rename. An append that does not fit writes the bytes that do and
 * throws {@link LaminaIOException} "No space left on device", as a short write on a full disk does.
 * {@link #setCapacity} frees or takes space at any time. Thread-safe.
 */
public final class DiskQuotaFileSystem extends ForwardingFileSystem {
    public static final String NO_SPACE = "No space left on device";
    private long capacity;
    private long used;
    private long refusedAppends;
    private long peak;
    private boolean full;

    public DiskQuotaFileSystem(FileSystem delegate, long capacity) {
        super(delegate);
        this.capacity = capacity;
    }

    public synchronized void setCapacity(long bytes) {
        capacity = bytes;
        full = false;
    }

    /**
     * Makes the disk full until the next {@link #setCapacity}: nothing more fits, even after a file is deleted (as
     * when other processes take whatever is freed). A store's background work deletes its failed outputs, and the
     * freed bytes would otherwise let a later small append through at a random moment.
     */
    public synchronized void fill() {
        capacity = used;
        full = true;
    }

    public synchronized long used() {
        return used;
    }

    /** The most bytes in use at any time. */
    public synchronized long peak() {
        return peak;
    }

    public synchronized long refusedAppends() {
        return refusedAppends;
    }

    private synchronized void release(Path path) {
        if (delegate().exists(path)) {
            used = Math.max(0, used - delegate().size(path));
        }
    }

    @Override
    public WritableFile create(Path path) {
        release(path);
        return new QuotaFile(super.create(path));
    }

    @Override
    public void rename(Path source, Path target) {
        release(target);
        super.rename(source, target);
    }

    @Override
    public boolean delete(Path path) {
        release(path);
        return super.delete(path);
    }

    private final class QuotaFile extends ForwardingWritableFile {
        QuotaFile(WritableFile delegate) {
            super(delegate);
        }

        @Override
        public void append(byte[] data, int offset, int length) {
            int fits;
            synchronized (DiskQuotaFileSystem.this) {
                fits = full ? 0 : (int) Math.max(0, Math.min(length, capacity - used));
                used += fits;
                peak = Math.max(peak, used);
                if (fits < length) {
                    refusedAppends++;
                }
            }
            if (fits < length) {
                if (fits > 0) {
                    super.append(data, offset, fits);
                }
                throw new LaminaIOException(NO_SPACE, path(), null);
            }
            super.append(data, offset, length);
        }
    }
}
