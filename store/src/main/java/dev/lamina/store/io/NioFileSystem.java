package dev.lamina.store.io;

import dev.lamina.store.LaminaIOException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The real file system, on NIO {@link FileChannel}s. */
public final class NioFileSystem implements FileSystem {
    private static final NioFileSystem INSTANCE = new NioFileSystem();

    /** Lock files held by this JVM: the OS lock does not stop a second channel of the same process. */
    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private NioFileSystem() {
    }

    public static NioFileSystem instance() {
        return INSTANCE;
    }

    @Override
    public WritableFile create(Path path) {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new NioWritableFile(path, channel, false);
        } catch (IOException e) {
            throw new LaminaIOException("cannot create file", path, e);
        }
    }

    @Override
    public WritableFile reuse(Path path) {
        try {
            return new NioWritableFile(path, FileChannel.open(path, StandardOpenOption.WRITE), true);
        } catch (IOException e) {
            throw new LaminaIOException("cannot open file to write it again", path, e);
        }
    }

    @Override
    public ReadableFile openReadable(Path path) {
        try {
            return new NioReadableFile(path, FileChannel.open(path, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new LaminaIOException("cannot open file for reading", path, e);
        }
    }

    @Override
    public void rename(Path source, Path target) {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new LaminaIOException("file system cannot rename atomically", source, e);
        } catch (IOException e) {
            throw new LaminaIOException("cannot rename to " + target, source, e);
        }
    }

    @Override
    public boolean delete(Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new LaminaIOException("cannot delete", path, e);
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new LaminaIOException("cannot read size", path, e);
        }
    }

    @Override
    public List<String> list(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            List<String> names = new ArrayList<>();
            entries.forEach(p -> names.add(p.getFileName().toString()));
            return names;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new LaminaIOException("cannot list directory", directory, e);
        }
    }

    @Override
    public void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new LaminaIOException("cannot create directory", directory, e);
        }
    }

    @Override
    public void syncDirectory(Path directory) {
        // On Linux a directory opened read-only can be fsynced, which makes renames and creations durable.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw new LaminaIOException("cannot sync directory", directory, e);
        }
    }

    @Override
    public FileLock lock(Path path) {
        Path key = path.toAbsolutePath().normalize();
        if (!LOCKED_IN_THIS_JVM.add(key)) {
            throw new LaminaIOException("store directory is already open in this JVM (lock held)", path, null);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new LaminaIOException("store directory is already open in another process (lock held)", path,
                        null);
            }
            FileChannel held = channel;
            return () -> {
                try {
                    lock.release();
                    held.close();
                } catch (IOException e) {
                    throw new LaminaIOException("cannot release lock", path, e);
                } finally {
                    LOCKED_IN_THIS_JVM.remove(key);
                }
            };
        } catch (IOException | OverlappingFileLockException | LaminaIOException e) {
            LOCKED_IN_THIS_JVM.remove(key);
            closeQuietly(channel);
            if (e instanceof LaminaIOException lie) {
                throw lie;
            }
            throw new LaminaIOException("cannot lock", path, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the original error is the one to report
            }
        }
    }
}
