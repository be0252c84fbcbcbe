package dev.lamina.store.io;

import dev.lamina.store.LaminaIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Positional reads on a {@link FileChannel}; safe to share between threads. */
final class NioReadableFile implements ReadableFile {
    private final Path path;
    private final FileChannel channel;

    NioReadableFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    @Override
    public int read(long position, byte[] dst, int offset, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(dst, offset, length);
        try {
            long at = position;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
        } catch (IOException e) {
            throw new LaminaIOException("read failed at offset " + position, path, e);
        }
        return buffer.position() - offset;
    }

    @Override
    public long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new LaminaIOException("cannot read size", path, e);
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new LaminaIOException("close failed", path, e);
        }
    }
}
