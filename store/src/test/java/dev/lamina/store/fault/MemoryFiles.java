package dev.lamina.store.fault;

import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.io.WritableFile;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

/** Files held in byte arrays, so that fuzzers can feed decoders thousands of inputs a second without a disk. */
public final class MemoryFiles {
    private MemoryFiles() {
    }

    /** Collects appended bytes. */
    public static final class Writable implements WritableFile {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Path path;

        public Writable(Path path) {
            this.path = path;
        }

        @Override
        public void append(byte[] data, int offset, int length) {
            bytes.write(data, offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void sync() {
        }

        @Override
        public long size() {
            return bytes.size();
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public void close() {
        }

        public byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /** Serves positional reads from a byte array. */
    public static final class Readable implements ReadableFile {
        private final byte[] content;
        private final Path path;

        public Readable(Path path, byte[] content) {
            this.path = path;
            this.content = content;
        }

        @Override
        public int read(long position, byte[] dst, int offset, int length) {
            if (position < 0 || offset < 0 || length < 0 || offset + length > dst.length) {
                throw new IndexOutOfBoundsException("read(" + position + ", " + offset + ", " + length + ")");
            }
            if (position >= content.length) {
                return 0;
            }
            int n = (int) Math.min(length, content.length - position);
            System.arraycopy(content, (int) position, dst, offset, n);
            return n;
        }

        @Override
        public long size() {
            return content.length;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public void close() {
        }
    }
}
