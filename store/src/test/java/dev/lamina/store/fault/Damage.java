package dev.lamina.store.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Damage done to a file after it was written, as a failing disk or a careless operator would: a byte XORed with a
 * non-zero mask (every single-byte error is a burst of at most 8 bits, which CRC32C always detects), or the file
 * cut short.
 */
public record Damage(Kind kind, long position, int mask) {
    public enum Kind { FLIP, TRUNCATE }

    public static Damage flip(long position, int mask) {
        if ((mask & 0xff) == 0) {
            throw new IllegalArgumentException("a zero mask changes nothing");
        }
        return new Damage(Kind.FLIP, position, mask & 0xff);
    }

    public static Damage truncate(long length) {
        return new Damage(Kind.TRUNCATE, length, 0);
    }

    public void applyTo(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (kind == Kind.TRUNCATE) {
                channel.truncate(position);
                return;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            if (channel.read(one, position) != 1) {
                throw new IllegalArgumentException("offset " + position + " is past the end of " + file);
            }
            one.put(0, (byte) (one.get(0) ^ mask)).rewind();
            channel.write(one, position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.FLIP ? String.format("byte %d xor 0x%02x", position, mask) : "cut to " + position + " bytes";
    }
}
