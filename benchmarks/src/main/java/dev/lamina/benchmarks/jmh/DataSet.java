package dev.lamina.benchmarks.jmh;

/** How much live data a benchmarked store holds (key and value bytes). */
public enum DataSet {
    /** 512 KiB: for the smoke test only. */
    SMOKE(512L * 1024),
    /** 8 MiB: fits in every store's memtable and block cache. */
    HOT(8L * 1024 * 1024),
    /** 192 MiB: several times Lamina's 32 MiB and RocksDB's 50 MiB (Kafka default) block caches. */
    COLD(192L * 1024 * 1024);

    private final long bytes;

    DataSet(long bytes) {
        this.bytes = bytes;
    }

    long bytes() {
        return bytes;
    }

    /** Records of 8-byte keys and {@code valueSize}-byte values that make up this many bytes (at least 200). */
    int records(int valueSize) {
        return (int) Math.max(200, bytes / (Long.BYTES + valueSize));
    }
}
