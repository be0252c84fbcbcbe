package dev.lamina.store.fault;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ForwardingFileSystem;
import dev.lamina.store.io.ForwardingReadableFile;
import dev.lamina.store.io.ForwardingWritableFile;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.io.WritableFile;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts every call by {@link FileOp} and fails the ones a {@link FaultRule} picks with a {@link LaminaIOException}
 * whose message starts with {@value #INJECTED}. Wraps any file system, so it stacks on {@link PowerLossFileSystem}
 * or {@link DiskQuotaFileSystem}. A failing append first writes the first half of its bytes when
 * {@link #partialWrites} is set, as a real short write does. Thread-safe.
 */
public final class FaultInjectingFileSystem extends ForwardingFileSystem {
    public static final String INJECTED = "injected fault";

    /** Picks the calls to fail; {@code nth} counts calls of that kind from 1, since the file system was made. */
    @FunctionalInterface
    public interface FaultRule {
        boolean fails(FileOp op, Path path, long nth);

        /** Fails only the {@code n}th call of kind {@code op}. */
        static FaultRule nth(FileOp op, long n) {
            return (o, p, k) -> o == op && k == n;
        }

        /** Fails the {@code n}th call of kind {@code op} and every later one: a device that broke and stays broken. */
        static FaultRule fromNth(FileOp op, long n) {
            return (o, p, k) -> o == op && k >= n;
        }

        /** Fails the first call of kind {@code op} on a file whose name ends with {@code suffix}, and no other. */
        static FaultRule firstOn(FileOp op, String suffix) {
            AtomicBoolean fired = new AtomicBoolean();
            return (o, p, k) -> o == op && p != null && p.toString().endsWith(suffix) && fired.compareAndSet(false,
                    true);
        }
    }

    private final Map<FileOp, Long> counts = new EnumMap<>(FileOp.class);
    private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
    private long injected;
    private volatile boolean partialWrites = true;

    public FaultInjectingFileSystem(FileSystem delegate) {
        super(delegate);
    }

    public FaultInjectingFileSystem add(FaultRule rule) {
        rules.add(rule);
        return this;
    }

    /** Removes every rule: the device is healthy again. Counting goes on. */
    public void heal() {
        rules.clear();
    }

    public FaultInjectingFileSystem partialWrites(boolean partial) {
        this.partialWrites = partial;
        return this;
    }

    public synchronized long count(FileOp op) {
        return counts.getOrDefault(op, 0L);
    }

    public synchronized Map<FileOp, Long> counts() {
        return new EnumMap<>(counts);
    }

    /** Faults thrown so far. */
    public synchronized long injected() {
        return injected;
    }

    /** Counts the call and throws if a rule picks it. */
    private void enter(FileOp op, Path path) {
        long nth;
        synchronized (this) {
            nth = counts.merge(op, 1L, Long::sum);
        }
        for (FaultRule rule : rules) {
            if (rule.fails(op, path, nth)) {
                synchronized (this) {
                    injected++;
                }
                throw new LaminaIOException(INJECTED + ": " + op + " #" + nth, path, null);
            }
        }
    }

    @Override
    public WritableFile create(Path path) {
        enter(FileOp.CREATE, path);
        return new FaultyWritable(super.create(path));
    }

    @Override
    public ReadableFile openReadable(Path path) {
        enter(FileOp.OPEN, path);
        return new FaultyReadable(super.openReadable(path));
    }

    @Override
    public void rename(Path source, Path target) {
        enter(FileOp.RENAME, source);
        super.rename(source, target);
    }

    @Override
    public boolean delete(Path path) {
        enter(FileOp.DELETE, path);
        return super.delete(path);
    }

    @Override
    public long size(Path path) {
        enter(FileOp.SIZE, path);
        return super.size(path);
    }

    @Override
    public List<String> list(Path directory) {
        enter(FileOp.LIST, directory);
        return super.list(directory);
    }

    @Override
    public void syncDirectory(Path directory) {
        enter(FileOp.SYNC_DIR, directory);
        super.syncDirectory(directory);
    }

    private final class FaultyWritable extends ForwardingWritableFile {
        FaultyWritable(WritableFile delegate) {
            super(delegate);
        }

        @Override
        public void append(byte[] data, int offset, int length) {
            try {
                enter(FileOp.APPEND, path());
            } catch (LaminaIOException e) {
                if (partialWrites && length > 1) {
                    super.append(data, offset, length / 2);
                }
                throw e;
            }
            super.append(data, offset, length);
        }

        @Override
        public void flush() {
            enter(FileOp.FLUSH, path());
            super.flush();
        }

        @Override
        public void sync() {
            enter(FileOp.SYNC, path());
            super.sync();
        }

        @Override
        public void close() {
            try {
                enter(FileOp.CLOSE, path());
            } catch (LaminaIOException e) {
                // A close that fails still releases the descriptor, as close(2) does.
                try {
                    super.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            super.close();
        }
    }

    private final class FaultyReadable extends ForwardingReadableFile {
        FaultyReadable(ReadableFile delegate) {
            super(delegate);
        }

        @Override
        public int read(long position, byte[] dst, int offset, int length) {
            enter(FileOp.READ, path());
            return super.read(position, dst, offset, length);
        }

        @Override
        public long size() {
            enter(FileOp.SIZE, path());
            return super.size();
        }

        @Override
        public void close() {
            try {
                enter(FileOp.CLOSE, path());
            } catch (LaminaIOException e) {
                try {
                    super.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            super.close();
        }
    }
}
