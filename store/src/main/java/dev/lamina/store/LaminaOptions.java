package dev.lamina.store;

import dev.lamina.store.cache.MemoryBudget;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.vlog.ChecksumLevel;
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
    private final int maxImmutableMemtables;
    private final int blockSize;
    private final Compression compression;
    private final int bloomBitsPerKey;
    private final long blockCacheSize;
    private final FileSystem fileSystem;
    private final MemoryBudget memoryBudget;
    private final int level0CompactionTrigger;
    private final int level0SlowdownTrigger;
    private final int level0StopTrigger;
    private final long targetFileSize;
    private final long level1MaxBytes;
    private final int levelSizeMultiplier;
    private final int valueThreshold;
    private final long vlogFileSize;
    private final double vlogGcThreshold;
    private final int vlogRecycleFiles;
    private final ChecksumLevel vlogChecksum;
    private final CommitSync commitSync;
    private final long commitSyncIntervalMillis;

    private LaminaOptions(Builder b) {
        if (!(b.level0CompactionTrigger < b.level0SlowdownTrigger && b.level0SlowdownTrigger < b.level0StopTrigger)) {
            throw new IllegalArgumentException("level-0 triggers must grow: compaction " + b.level0CompactionTrigger
                    + " < slowdown " + b.level0SlowdownTrigger + " < stop " + b.level0StopTrigger);
        }
        this.memoryBudget = b.memoryBudget;
        this.level0CompactionTrigger = b.level0CompactionTrigger;
        this.level0SlowdownTrigger = b.level0SlowdownTrigger;
        this.level0StopTrigger = b.level0StopTrigger;
        this.targetFileSize = b.targetFileSize > 0 ? b.targetFileSize : Math.max(256 << 10, b.writeBufferSize);
        this.level1MaxBytes = b.level1MaxBytes > 0 ? b.level1MaxBytes : 4 * this.targetFileSize;
        this.levelSizeMultiplier = b.levelSizeMultiplier;
        this.valueThreshold = b.valueThreshold;
        this.vlogFileSize = b.vlogFileSize;
        this.vlogGcThreshold = b.vlogGcThreshold;
        this.vlogRecycleFiles = b.vlogRecycleFiles;
        this.vlogChecksum = b.vlogChecksum;
        this.commitSync = b.commitSync;
        this.commitSyncIntervalMillis = b.commitSyncIntervalMillis;
        this.writeBufferSize = b.writeBufferSize;
        this.maxImmutableMemtables = b.maxImmutableMemtables;
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
        return new Builder().writeBufferSize(writeBufferSize).maxImmutableMemtables(maxImmutableMemtables)
                .blockSize(blockSize).compression(compression)
                .bloomBitsPerKey(bloomBitsPerKey).blockCacheSize(blockCacheSize).fileSystem(fileSystem).memoryBudget(memoryBudget)
                .level0CompactionTrigger(level0CompactionTrigger).level0SlowdownTrigger(level0SlowdownTrigger)
                .level0StopTrigger(level0StopTrigger).targetFileSize(targetFileSize).level1MaxBytes(level1MaxBytes)
                .levelSizeMultiplier(levelSizeMultiplier).valueThreshold(valueThreshold).vlogFileSize(vlogFileSize)
                .vlogGcThreshold(vlogGcThreshold).vlogRecycleFiles(vlogRecycleFiles).vlogChecksum(vlogChecksum)
                .commitSync(commitSync).commitSyncIntervalMillis(commitSyncIntervalMillis);
    }

    /** When a commit reaches stable storage. Default {@link CommitSync#INTERVAL}. */
    public CommitSync commitSync() {
        return commitSync;
    }

    /**
     * Under {@link CommitSync#INTERVAL}: how often the write-ahead log is synced in the background, so at most
     * about this much time of commits is lost to a power loss. Default 1000 ms.
     */
    public long commitSyncIntervalMillis() {
        return commitSyncIntervalMillis;
    }

    /**
     * Values of at least this many bytes are moved to the value log when a memtable is flushed, so compaction
     * moves a small pointer instead of the value. 0 keeps every value inline. Default 1 KiB.
     */
    public int valueThreshold() {
        return valueThreshold;
    }

    /** Size at which a value-log file is closed and a new one started. Default 64 MiB. */
    public long vlogFileSize() {
        return vlogFileSize;
    }

    /** Garbage ratio at which compaction moves a value-log file's live values out, so the file can go. Default 0.5. */
    public double vlogGcThreshold() {
        return vlogGcThreshold;
    }

    /**
     * Obsolete value-log files kept to be written over by new ones instead of deleted (0 keeps none): on disks that
     * trim freed blocks ({@code discard}), deleting costs as much as writing. They use disk space until reused, at
     * most this many times {@link #vlogFileSize()}; close and {@code compactRange} delete them. Default 8.
     */
    public int vlogRecycleFiles() {
        return vlogRecycleFiles;
    }

    /** How values read from the value log are checked. Default FULL. */
    public ChecksumLevel vlogChecksum() {
        return vlogChecksum;
    }

    /**
     * The memory budget this store shares with others, or null (the default) for a store on its own: its own block
     * cache of {@link #blockCacheSize()} bytes and memtables bounded only by {@link #writeBufferSize()}. A store in a
     * budget uses the budget's block cache and ignores {@link #blockCacheSize()}.
     */
    public MemoryBudget memoryBudget() {
        return memoryBudget;
    }

    /** Level-0 file count at which level 0 is compacted into level 1. Default 4. */
    public int level0CompactionTrigger() {
        return level0CompactionTrigger;
    }

    /** Level-0 file count at which each write is delayed a little, to let compaction catch up. Default 8. */
    public int level0SlowdownTrigger() {
        return level0SlowdownTrigger;
    }

    /** Level-0 file count at which writes wait for compaction. Default 12. */
    public int level0StopTrigger() {
        return level0StopTrigger;
    }

    /** Size at which compaction starts a new output table. Default: the write buffer size (at least 256 KiB). */
    public long targetFileSize() {
        return targetFileSize;
    }

    /** Target size of level 1; each deeper level targets {@link #levelSizeMultiplier()} times more. */
    public long level1MaxBytes() {
        return level1MaxBytes;
    }

    /** Growth factor between levels. Default 10. */
    public int levelSizeMultiplier() {
        return levelSizeMultiplier;
    }

    /**
     * Memtable size (approximate heap bytes) at which it is frozen and flushed to a table. Default 64 MiB: overwrites
     * that land in the memtable never reach the value log, which is most of what a large-value store saves on
     * writes. A store in a {@link MemoryBudget} is flushed earlier when the memtables of all its stores pass half the
     * budget, so the budget, not this size, bounds the heap.
     */
    public long writeBufferSize() {
        return writeBufferSize;
    }

    /**
     * Full memtables that may wait for (or be in) their flush while writes go on into a new one; a writer that fills
     * its memtable with this many waiting stalls until one is flushed. Default 2 (three memtables at most, as Kafka
     * Streams configures RocksDB's {@code max_write_buffer_number}); flushes of several run at once and are
     * installed in order.
     */
    public int maxImmutableMemtables() {
        return maxImmutableMemtables;
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
        return "LaminaOptions{writeBufferSize=" + writeBufferSize + ", maxImmutableMemtables="
                + maxImmutableMemtables + ", blockSize=" + blockSize + ", compression="
                + compression + ", bloomBitsPerKey=" + bloomBitsPerKey + ", blockCacheSize=" + blockCacheSize
                + ", commitSync=" + commitSync
                + (commitSync == CommitSync.INTERVAL ? " every " + commitSyncIntervalMillis + " ms" : "") + "}";
    }

    /** Builds {@link LaminaOptions}; each setter checks its argument. */
    public static final class Builder {
        private long writeBufferSize = 64L << 20;
        private int maxImmutableMemtables = 2;
        private int blockSize = 4096;
        private Compression compression = Compression.LZ4;
        private int bloomBitsPerKey = 10;
        private long blockCacheSize = 32L << 20;
        private FileSystem fileSystem = NioFileSystem.instance();
        private MemoryBudget memoryBudget;
        private int level0CompactionTrigger = 4;
        private int level0SlowdownTrigger = 8;
        private int level0StopTrigger = 12;
        private long targetFileSize;
        private long level1MaxBytes;
        private int levelSizeMultiplier = 10;
        private int valueThreshold = 1024;
        private long vlogFileSize = 64L << 20;
        private double vlogGcThreshold = 0.5;
        private int vlogRecycleFiles = 8;
        private ChecksumLevel vlogChecksum = ChecksumLevel.FULL;
        private CommitSync commitSync = CommitSync.INTERVAL;
        private long commitSyncIntervalMillis = 1000;

        public Builder commitSync(CommitSync sync) {
            this.commitSync = Objects.requireNonNull(sync, "commitSync");
            return this;
        }

        /** From 1 ms to one hour. */
        public Builder commitSyncIntervalMillis(long millis) {
            this.commitSyncIntervalMillis = requireRange("commitSyncIntervalMillis", millis, 1, 3_600_000);
            return this;
        }

        /** 0 disables key/value separation. */
        public Builder valueThreshold(int bytes) {
            this.valueThreshold = (int) requireRange("valueThreshold", bytes, 0, Integer.MAX_VALUE);
            return this;
        }

        public Builder vlogFileSize(long bytes) {
            this.vlogFileSize = requireRange("vlogFileSize", bytes, 64 << 10, 1L << 40);
            return this;
        }

        public Builder vlogGcThreshold(double ratio) {
            if (!(ratio > 0 && ratio <= 1)) {
                throw new IllegalArgumentException("vlogGcThreshold must be in (0, 1], got " + ratio);
            }
            this.vlogGcThreshold = ratio;
            return this;
        }

        public Builder vlogRecycleFiles(int count) {
            this.vlogRecycleFiles = (int) requireRange("vlogRecycleFiles", count, 0, 64);
            return this;
        }

        public Builder vlogChecksum(ChecksumLevel level) {
            this.vlogChecksum = Objects.requireNonNull(level, "vlogChecksum");
            return this;
        }

        private Builder() {
        }

        /** Joins a memory budget shared with other stores (for example {@link MemoryBudget#shared()}); null leaves it. */
        public Builder memoryBudget(MemoryBudget budget) {
            this.memoryBudget = budget;
            return this;
        }

        public Builder level0CompactionTrigger(int files) {
            this.level0CompactionTrigger = (int) requireRange("level0CompactionTrigger", files, 1, 1000);
            return this;
        }

        public Builder level0SlowdownTrigger(int files) {
            this.level0SlowdownTrigger = (int) requireRange("level0SlowdownTrigger", files, 2, 1000);
            return this;
        }

        public Builder level0StopTrigger(int files) {
            this.level0StopTrigger = (int) requireRange("level0StopTrigger", files, 3, 1000);
            return this;
        }

        /** 0 means: derive from the write buffer size. */
        public Builder targetFileSize(long bytes) {
            this.targetFileSize = bytes == 0 ? 0 : requireRange("targetFileSize", bytes, 64 << 10, 1L << 32);
            return this;
        }

        /** 0 means: four target files. */
        public Builder level1MaxBytes(long bytes) {
            this.level1MaxBytes = bytes == 0 ? 0 : requireRange("level1MaxBytes", bytes, 64 << 10, Long.MAX_VALUE);
            return this;
        }

        public Builder levelSizeMultiplier(int factor) {
            this.levelSizeMultiplier = (int) requireRange("levelSizeMultiplier", factor, 2, 100);
            return this;
        }

        public Builder writeBufferSize(long bytes) {
            this.writeBufferSize = requireRange("writeBufferSize", bytes, 64 << 10, 1L << 31);
            return this;
        }

        public Builder maxImmutableMemtables(int count) {
            this.maxImmutableMemtables = (int) requireRange("maxImmutableMemtables", count, 1, 16);
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
