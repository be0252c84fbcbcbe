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
        return counted(super.create(path));
    }

    /** Passed on (a forwarding file system would create the file afresh), so that the saving is kept. */
    @Override
    public WritableFile reuse(Path path) {
        return counted(delegate().reuse(path));
    }

    private WritableFile counted(WritableFile file) {
        return new ForwardingWritableFile(file) {
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
