package dev.lamina.benchmarks.jmh;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * The bounded-memory {@link RocksDBConfigSetter} Kafka Streams' documentation recommends ("Memory management" in
 * the RocksDB section): one LRU cache shared by every store for data, index and filter blocks, and a
 * {@link WriteBufferManager} that charges memtables to that same cache, so all RocksDB stores of the JVM together
 * stay within {@link #TOTAL_OFF_HEAP_BYTES}.
 *
 * <p>48 MiB in all, 16 MiB of it memtables: Lamina's defaults for one store when this was written (16 MiB memtables,
 * a 32 MiB block cache). Kept so that figures stay comparable across runs.
 */
public final class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {
    static final long TOTAL_OFF_HEAP_BYTES = 48L * 1024 * 1024;
    static final long TOTAL_MEMTABLE_BYTES = 16L * 1024 * 1024;
    private static final double INDEX_FILTER_BLOCK_RATIO = 0.1;
    private static final long BLOCK_SIZE = 4 * 1024;
    private static final int MEMTABLES = 2;

    private static final Cache CACHE = new LRUCache(TOTAL_OFF_HEAP_BYTES, -1, false, INDEX_FILTER_BLOCK_RATIO);
    private static final WriteBufferManager WRITE_BUFFER_MANAGER =
            new WriteBufferManager(TOTAL_MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig tableConfig = (BlockBasedTableConfig) options.tableFormatConfig();
        tableConfig.setBlockCache(CACHE);
        tableConfig.setCacheIndexAndFilterBlocks(true);
        tableConfig.setCacheIndexAndFilterBlocksWithHighPriority(true);
        tableConfig.setPinTopLevelIndexAndFilter(true);
        tableConfig.setBlockSize(BLOCK_SIZE);
        options.setWriteBufferManager(WRITE_BUFFER_MANAGER);
        options.setMaxWriteBufferNumber(MEMTABLES);
        options.setWriteBufferSize(TOTAL_MEMTABLE_BYTES / MEMTABLES);
        options.setTableFormatConfig(tableConfig);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store; they must not be closed here.
    }
}
