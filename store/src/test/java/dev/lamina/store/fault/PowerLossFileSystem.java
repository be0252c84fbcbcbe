package dev.lamina.store.fault;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ForwardingFileSystem;
import dev.lamina.store.io.ForwardingReadableFile;
import dev.lamina.store.io.ForwardingWritableFile;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.io.WritableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Runs on a real directory and remembers what a power cut would keep: file data is durable only up to the last
 * {@link WritableFile#sync()}, and a directory entry (creation, rename, deletion) only once {@link #syncDirectory}
 * ran for its directory. Real fsyncs are skipped, since durability is modelled, which keeps thousands of crash
 * states cheap.
 *
 * <p>Files are tracked as inodes, so that a rename moves the data and a name dropped from the live directory (by
 * delete, rename-over or create-over) can come back at a crash: its durable bytes are saved the moment it is
 * unlinked.
 *
 * <p>Two ways to crash. {@link #writeImage} copies the state a crash of a given {@link CrashKind} would leave into
 * another directory, while the store runs on: called from {@link SyncPointListener}, it captures the state at every
 * sync point of a workload in one run. {@link #cutAt} kills the file system at the chosen sync point instead: that
 * call and every later one fail, and {@link #restore} then rewrites the directory in place to what survived.
 *
 * <p>Every call is serialized on this object. Directories are assumed durable once created (the store's directory
 * is made by the test); the {@code LOCK} file is not modelled.
 */
public final class PowerLossFileSystem extends ForwardingFileSystem {
    /** Called before each sync point takes effect, while the file system is held: nothing changes meanwhile. */
    @FunctionalInterface
    public interface SyncPointListener {
        void beforeSync(long index, String description);
    }

    private static final String LOCK = "LOCK";

    /** The data of one file, wherever its names are. */
    private static final class Inode {
        long appended;
        /** Bytes handed to the operating system (flushed); what a process crash keeps. */
        long flushed;
        long synced;
        /** Bytes {@code [0, flushed)} saved when the last live name went while a durable name remained. */
        byte[] saved;
    }

    private final Map<Path, Inode> live = new HashMap<>();
    private final Map<Path, Inode> durable = new HashMap<>();
    private final List<Path> directories = new ArrayList<>();
    private SyncPointListener listener = (index, description) -> { };
    private long syncPoints;
    private long cutAt = -1;
    private boolean dead;

    public PowerLossFileSystem(FileSystem delegate) {
        super(delegate);
    }

    public synchronized PowerLossFileSystem onSyncPoint(SyncPointListener l) {
        this.listener = l;
        return this;
    }

    /** Sync points so far: calls of {@code WritableFile.sync} and {@code syncDirectory}. */
    public synchronized long syncPoints() {
        return syncPoints;
    }

    /** Cuts the power just before sync point {@code index} (counting from 0) takes effect. */
    public synchronized void cutAt(long index) {
        this.cutAt = index;
    }

    public synchronized boolean isDead() {
        return dead;
    }

    /** Starts tracking {@code dir} as it is now: every file in it counts as synced and durably named. */
    public synchronized void adopt(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (directories.contains(d)) {
            return;
        }
        directories.add(d);
        try (Stream<Path> files = Files.list(d)) {
            files.filter(p -> !p.getFileName().toString().equals(LOCK) && Files.isRegularFile(p)).forEach(p -> {
                Inode inode = new Inode();
                inode.appended = inode.flushed = inode.synced = sizeOf(p);
                live.put(p, inode);
                durable.put(p, inode);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path key(Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path parent = p.getParent();
        if (parent != null && !directories.contains(parent) && Files.isDirectory(parent)) {
            adopt(parent);
        }
        return p;
    }

    private void checkAlive(Path path) {
        if (dead) {
            throw new LaminaIOException("power is off (simulated power loss)", path, null);
        }
    }

    /** Counts a sync point, tells the listener, and cuts the power if this is the chosen one. */
    private void syncPoint(String description, Path path) {
        checkAlive(path);
        long index = syncPoints++;
        listener.beforeSync(index, description);
        if (index == cutAt) {
            dead = true;
            throw new LaminaIOException("power cut at sync point " + index + " (" + description + ")", path, null);
        }
    }

    /** Saves the data of an inode about to lose its live name, if a crash could bring a durable name back. */
    private void unlink(Path livePath, Inode inode) {
        if (inode != null && inode.saved == null && durable.containsValue(inode)) {
            inode.saved = readPrefix(livePath, inode.flushed);
        }
    }

    private Path pathOf(Inode inode) {
        for (Map.Entry<Path, Inode> e : live.entrySet()) {
            if (e.getValue() == inode) {
                return e.getKey();
            }
        }
        return null;
    }

    private static byte[] readPrefix(Path path, long length) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, channel.size()));
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
                // read until full or end of file
            }
            return buffer.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized WritableFile create(Path path) {
        Path p = key(path);
        checkAlive(p);
        unlink(p, live.get(p));
        WritableFile file = super.create(path);
        Inode inode = new Inode();
        live.put(p, inode);
        return new TrackedFile(file, inode);
    }

    @Override
    public synchronized ReadableFile openReadable(Path path) {
        checkAlive(path);
        return new ForwardingReadableFile(super.openReadable(path)) {
            @Override
            public int read(long position, byte[] dst, int offset, int length) {
                synchronized (PowerLossFileSystem.this) {
                    checkAlive(path());
                }
                return super.read(position, dst, offset, length);
            }
        };
    }

    @Override
    public synchronized void rename(Path source, Path target) {
        Path s = key(source);
        Path t = key(target);
        checkAlive(s);
        Inode moving = live.get(s);
        unlink(t, live.get(t));
        super.rename(source, target);
        live.remove(s);
        if (moving != null) {
            live.put(t, moving);
        }
    }

    @Override
    public synchronized boolean delete(Path path) {
        Path p = key(path);
        checkAlive(p);
        unlink(p, live.get(p));
        boolean deleted = super.delete(path);
        live.remove(p);
        return deleted;
    }

    @Override
    public synchronized boolean exists(Path path) {
        checkAlive(path);
        return super.exists(path);
    }

    @Override
    public synchronized long size(Path path) {
        checkAlive(path);
        return super.size(path);
    }

    @Override
    public synchronized List<String> list(Path directory) {
        checkAlive(directory);
        return super.list(directory);
    }

    @Override
    public synchronized void createDirectories(Path directory) {
        checkAlive(directory);
        super.createDirectories(directory);
        adopt(directory);
    }

    @Override
    public synchronized void syncDirectory(Path directory) {
        Path d = directory.toAbsolutePath().normalize();
        if (!directories.contains(d)) {
            adopt(d);
        }
        syncPoint("syncDirectory " + directory.getFileName(), directory);
        durable.keySet().removeIf(p -> d.equals(p.getParent()));
        live.forEach((p, inode) -> {
            if (d.equals(p.getParent())) {
                durable.put(p, inode);
            }
        });
    }

    @Override
    public synchronized FileLock lock(Path path) {
        checkAlive(path);
        return super.lock(path);
    }

    /** A file being written: counts appended, flushed and synced bytes. */
    private final class TrackedFile extends ForwardingWritableFile {
        private final Inode inode;

        TrackedFile(WritableFile delegate, Inode inode) {
            super(delegate);
            this.inode = inode;
        }

        @Override
        public void append(byte[] data, int offset, int length) {
            synchronized (PowerLossFileSystem.this) {
                checkAlive(path());
                super.append(data, offset, length);
                inode.appended += length;
            }
        }

        @Override
        public void flush() {
            synchronized (PowerLossFileSystem.this) {
                checkAlive(path());
                super.flush();
                inode.flushed = inode.appended;
            }
        }

        @Override
        public void sync() {
            synchronized (PowerLossFileSystem.this) {
                syncPoint("sync " + path().getFileName(), path());
                super.flush(); // the modelled fsync; the real one would only cost time
                inode.flushed = inode.appended;
                inode.synced = inode.appended;
            }
        }

        @Override
        public void close() {
            synchronized (PowerLossFileSystem.this) {
                // Closing releases the descriptor even after the power is off; the bytes it flushes count only
                // while it is on.
                super.close();
                if (!dead) {
                    inode.flushed = inode.appended;
                }
            }
        }
    }

    /**
     * Writes into the empty directory {@code target} what a crash of kind {@code kind} now would leave of the
     * tracked directory {@code dir}. {@code random} picks the surviving tail lengths for
     * {@link CrashKind#POWER_LOSS_TORN_TAIL}.
     */
    public synchronized void writeImage(Path dir, Path target, CrashKind kind, Random random) {
        Path d = dir.toAbsolutePath().normalize();
        Map<Path, Inode> names = kind == CrashKind.PROCESS_CRASH ? live : durable;
        try {
            Files.createDirectories(target);
            for (Map.Entry<Path, Inode> e : names.entrySet()) {
                if (!d.equals(e.getKey().getParent())) {
                    continue;
                }
                Inode inode = e.getValue();
                long length = switch (kind) {
                    case POWER_LOSS -> inode.synced;
                    case PROCESS_CRASH -> inode.flushed;
                    case POWER_LOSS_TORN_TAIL, POWER_LOSS_LOST_PAGES -> inode.synced
                            + (inode.flushed > inode.synced && random.nextBoolean()
                            ? (long) (random.nextDouble() * (inode.flushed - inode.synced + 1)) : 0);
                };
                byte[] data = contents(inode, length);
                if (kind == CrashKind.POWER_LOSS_LOST_PAGES) {
                    losePages(data, inode.synced, random);
                }
                Files.write(target.resolve(e.getKey().getFileName()), data);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Zeroes a random choice of the 4 KiB pages of {@code data} that lie after {@code synced}. */
    private static void losePages(byte[] data, long synced, Random random) {
        int page = 4096;
        for (long start = synced / page * page; start < data.length; start += page) {
            if (random.nextInt(3) == 0) {
                int from = (int) Math.max(start, synced);
                java.util.Arrays.fill(data, from, (int) Math.min(data.length, start + page), (byte) 0);
            }
        }
    }

    private byte[] contents(Inode inode, long length) {
        byte[] all = inode.saved != null ? inode.saved : readPrefix(pathOf(inode), inode.flushed);
        return all.length <= length ? all : java.util.Arrays.copyOf(all, (int) length);
    }

    /**
     * After a {@link #cutAt cut} (and after the store that was running has been closed), rewrites {@code dir} in
     * place to what survived, and powers the file system back on with the surviving files as its durable state.
     */
    public synchronized void restore(Path dir, CrashKind kind, Random random) {
        Path d = dir.toAbsolutePath().normalize();
        Path image = d.resolveSibling(d.getFileName() + ".crash-image");
        try {
            writeImage(d, image, kind, random);
            try (Stream<Path> files = Files.list(d)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (!p.getFileName().toString().equals(LOCK)) {
                        Files.delete(p);
                    }
                }
            }
            try (Stream<Path> files = Files.list(image)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.move(p, d.resolve(p.getFileName()));
                }
            }
            Files.delete(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        live.keySet().removeIf(p -> d.equals(p.getParent()));
        durable.keySet().removeIf(p -> d.equals(p.getParent()));
        directories.remove(d);
        adopt(d);
        dead = false;
        cutAt = -1;
    }
}
