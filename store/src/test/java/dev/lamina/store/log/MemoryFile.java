package dev.lamina.store.log;

import dev.lamina.store.LaminaIOException;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.io.WritableFile;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;

/** In-memory files, so that the log tests can cut and damage thousands of logs without touching the disk. */
final class MemoryFile {
    static final Path PATH = Path.of("memory", "000001.log");

    private MemoryFile() {
    }

    /** Collects appended bytes; counts flushes. */
    static final class Writable implements WritableFile {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int flushes;
        int syncs;
        boolean closed;
        /** Appends fail once the file would grow past this many bytes (after writing what fits, as a full disk). */
        long capacity = Long.MAX_VALUE;

        @Override
        public void append(byte[] data, int offset, int length) {
            if (bytes.size() + (long) length > capacity) {
                bytes.write(data, offset, (int) (capacity - bytes.size()));
                throw new LaminaIOException("injected: disk full", PATH, null);
            }
            bytes.write(data, offset, length);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void sync() {
            syncs++;
        }

        @Override
        public long size() {
            return bytes.size();
        }

        @Override
        public Path path() {
            return PATH;
        }

        @Override
        public void close() {
            closed = true;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /** Serves reads from a byte array. */
    static final class Readable implements ReadableFile {
        private final byte[] content;

        Readable(byte[] content) {
            this.content = content;
        }

        @Override
        public int read(long position, byte[] dst, int offset, int length) {
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
            return PATH;
        }

        @Override
        public void close() {
        }
    }

    /** The bytes of a log holding {@code records}, in order. */
    static byte[] logOf(byte[]... records) {
        Writable file = new Writable();
        LogWriter writer = new LogWriter(file);
        for (byte[] record : records) {
            writer.addRecord(record);
        }
        return file.toByteArray();
    }

    static LogReader reader(byte[] content) {
        return new LogReader(new Readable(content));
    }

    static LogReader reader(byte[] content, int length) {
        return reader(Arrays.copyOf(content, length));
    }
}
