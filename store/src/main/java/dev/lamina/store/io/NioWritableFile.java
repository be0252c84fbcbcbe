package dev.lamina.store.io;

import dev.lamina.store.LaminaIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Appends through a 64 KiB buffer to a {@link FileChannel}. Buffer access is synchronized so that {@link #sync()}
 * may run on another thread beside appends; the fsync itself runs outside the lock so appends continue meanwhile.
 * A reused file ({@link FileSystem#reuse}) is written from its start and cut to the bytes appended at close.
 */
final class NioWritableFile implements WritableFile {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    /** Old bytes may lie beyond what is appended: cut them off at close. */
    private final boolean reused;
    private long size;

    NioWritableFile(Path path, FileChannel channel, boolean reused) {
        this.path = path;
        this.channel = channel;
        this.reused = reused;
    }

    @Override
    public synchronized void append(byte[] data, int offset, int length) {
        if (length >= BUFFER_SIZE) {
            flush();
            writeFully(ByteBuffer.wrap(data, offset, length));
        } else {
            if (length > buffer.remaining()) {
                flush();
            }
            buffer.put(data, offset, length);
        }
        size += length;
    }

    @Override
    public synchronized void flush() {
        if (buffer.position() > 0) {
            buffer.flip();
            writeFully(buffer);
            buffer.clear();
        }
    }

    private void writeFully(ByteBuffer src) {
        try {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        } catch (IOException e) {
            throw new LaminaIOException("write failed", path, e);
        }
    }

    @Override
    public void sync() {
        flush();
        // Everything handed to the channel before this point is covered by the force.
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new LaminaIOException("sync failed", path, e);
        }
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() {
        try {
            flush();
            if (reused && channel.size() > size) {
                channel.truncate(size);
            }
        } catch (IOException e) {
            throw new LaminaIOException("cannot cut the reused file to " + size + " bytes", path, e);
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                throw new LaminaIOException("close failed", path, e);
            }
        }
    }
}
