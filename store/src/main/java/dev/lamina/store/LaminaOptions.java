package dev.lamina.store;

import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.NioFileSystem;
import java.util.Objects;

/**
 * Options of one store. Immutable; build with {@link #builder()} or take {@link #defaults()}.
 *
 * <pre>{@code
 * LaminaOptions options = LaminaOptions.builder().writeBufferSize(32 << 20).compression(Compression.ZSTD).build();
 * }</pre>
 */
public final class LaminaOptions {
    private final long writeBufferSize;
    private final int blockSize;
    private final Compression compression;
    private final int bloomBitsPerKey;
    private final long blockCacheSize;
    private final FileSystem fileSystem;

    private LaminaOptions(Builder b) {
        this.writeBufferSize = b.writeBufferSize;
        this.blockSize = b.blockSize;
        this.compression = b.compression;
        this.bloomBitsPerKey = b.bloomBitsPerKey;
        this.blockCacheSize = b.blockCacheSize;
        this.fileSystem = b.fileSystem;
    }

    public static LaminaOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder().writeBufferSize(writeBufferSize).blockSize(blockSize).compression(compression)
                .bloomBitsPerKey(bloomBitsPerKey).blockCacheSize(blockCacheSize).fileSystem(fileSystem);
    }

    /** Memtable size (approximate heap bytes) at which it is frozen and flushed to a table. Default 16 MiB. */
    public long writeBufferSize() {
        return writeBufferSize;
    }

    /** Target size of an SSTable data block before compression. Default 4 KiB. */
    public int blockSize() {
        return blockSize;
    }

    /** Compression of SSTable blocks. Default LZ4. */
    public Compression compression() {
        return compression;
    }

    /** Bloom filter bits per key in each table; 0 disables filters. Default 10 (about 1% false positives). */
    public int bloomBitsPerKey() {
        return bloomBitsPerKey;
    }

    /** Capacity of the block cache in bytes of uncompressed blocks; 0 disables it. Default 32 MiB. */
    public long blockCacheSize() {
        return blockCacheSize;
    }

    /** The file system every byte goes through. Default: the real one. Tests pass fault-injecting ones. */
    public FileSystem fileSystem() {
        return fileSystem;
    }

    @Override
    public String toString() {
        return "LaminaOptions{writeBufferSize=" + writeBufferSize + ", blockSize=" + blockSize + ", compression="
                + compression + ", bloomBitsPerKey=" + bloomBitsPerKey + ", blockCacheSize=" + blockCacheSize + "}";
    }

    /** Builds {@link LaminaOptions}; each setter checks its argument. */
    public static final class Builder {
        private long writeBufferSize = 16L << 20;
        private int blockSize = 4096;
        private Compression compression = Compression.LZ4;
        private int bloomBitsPerKey = 10;
        private long blockCacheSize = 32L << 20;
        private FileSystem fileSystem = NioFileSystem.instance();

        private Builder() {
        }

        public Builder writeBufferSize(long bytes) {
            this.writeBufferSize = requireRange("writeBufferSize", bytes, 64 << 10, 1L << 31);
            return this;
        }

        public Builder blockSize(int bytes) {
            this.blockSize = (int) requireRange("blockSize", bytes, 256, 16 << 20);
            return this;
        }

        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        public Builder bloomBitsPerKey(int bits) {
            this.bloomBitsPerKey = (int) requireRange("bloomBitsPerKey", bits, 0, 64);
            return this;
        }

        public Builder blockCacheSize(long bytes) {
            this.blockCacheSize = requireRange("blockCacheSize", bytes, 0, Long.MAX_VALUE);
            return this;
        }

        public Builder fileSystem(FileSystem fileSystem) {
            this.fileSystem = Objects.requireNonNull(fileSystem, "fileSystem");
            return this;
        }

        public LaminaOptions build() {
            return new LaminaOptions(this);
        }

        private static long requireRange(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
            }
            return value;
        }
    }
}
