package dev.lamina.store.table;

import dev.lamina.store.Compression;
import java.util.Objects;

/**
 * How a {@link TableBuilder} lays out a table. Readers need none of it: everything a reader must know is in the
 * file itself.
 *
 * @param blockSize       target uncompressed size of a data block in bytes; a block is closed once it reaches it
 * @param restartInterval entries between restart points in data blocks (1 = every entry is a full key)
 * @param compression     compression tried on every data and index block
 * @param bloomBitsPerKey bloom filter bits per distinct user key; 0 writes no filter
 */
public record TableOptions(int blockSize, int restartInterval, Compression compression, int bloomBitsPerKey) {

    /** Beyond this the false-positive rate no longer improves measurably with 32-bit hashing. */
    private static final int MAX_BLOOM_BITS_PER_KEY = 64;

    /** Validates the options; throws {@link IllegalArgumentException} for values a table cannot be built with. */
    public TableOptions {
        Objects.requireNonNull(compression, "compression");
        if (blockSize < 1 || blockSize > TableFormat.MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("blockSize must be in [1, " + TableFormat.MAX_BLOCK_SIZE + "]: "
                    + blockSize);
        }
        if (restartInterval < 1) {
            throw new IllegalArgumentException("restartInterval must be at least 1: " + restartInterval);
        }
        if (bloomBitsPerKey < 0 || bloomBitsPerKey > MAX_BLOOM_BITS_PER_KEY) {
            throw new IllegalArgumentException("bloomBitsPerKey must be in [0, " + MAX_BLOOM_BITS_PER_KEY + "]: "
                    + bloomBitsPerKey);
        }
    }

    /** 4 KiB blocks, a restart point every 16 entries, LZ4, 10 bloom bits per key (about 1% false positives). */
    public static TableOptions defaults() {
        return new TableOptions(TableFormat.DEFAULT_BLOCK_SIZE, TableFormat.DEFAULT_RESTART_INTERVAL,
                TableFormat.DEFAULT_COMPRESSION, TableFormat.DEFAULT_BLOOM_BITS_PER_KEY);
    }

    /** A copy with another compression. */
    public TableOptions withCompression(Compression newCompression) {
        return new TableOptions(blockSize, restartInterval, newCompression, bloomBitsPerKey);
    }
}
