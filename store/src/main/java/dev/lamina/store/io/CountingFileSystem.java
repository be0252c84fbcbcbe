package dev.lamina.store.io;

import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/** Wraps a file system and counts the bytes written and read through it: the engine's I/O statistics. */
public final class CountingFileSystem extends ForwardingFileSystem {
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();

    public CountingFileSystem(FileSystem delegate) {
        super(delegate);
    }

    public long bytesWritten() {
        return bytesWritten.sum();
    }

    public long bytesRead() {
        return bytesRead.sum();
    }

    @Override
    public WritableFile create(Path path) {
        return new ForwardingWritableFile(super.create(path)) {
            @Override
            public void append(byte[] data, int offset, int length) {
                super.append(data, offset, length);
                bytesWritten.add(length);
            }
        };
    }

    @Override
    public ReadableFile openReadable(Path path) {
        return new ForwardingReadableFile(super.openReadable(path)) {
            @Override
            public int read(long position, byte[] dst, int offset, int length) {
                int n = super.read(position, dst, offset, length);
                bytesRead.add(n);
                return n;
            }
        };
    }
}
