package dev.lamina.benchmarks.topology;

import dev.lamina.benchmarks.jmh.BoundedMemoryRocksDBConfig;
import dev.lamina.streams.LaminaStores;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The store kinds a topology run compares. Every kind is a plain (not timestamped) persistent key-value store
 * supplier handed to {@code Materialized.as}, so Kafka Streams wraps each one in the same timestamp adapter.
 */
enum TopologyStore {
    /** {@code LaminaStores.persistentKeyValueStore}, Lamina's defaults. */
    LAMINA("Lamina", Map.of()),
    /** {@code Stores.persistentKeyValueStore}: Kafka's RocksDB store with Kafka's default options. */
    ROCKSDB("RocksDB (Kafka defaults)", Map.of()),
    /** Kafka's RocksDB store with {@link BoundedMemoryRocksDBConfig} as {@code rocksdb.config.setter}. */
    ROCKSDB_BOUNDED("RocksDB (bounded)",
            Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class));

    private final String label;
    private final Map<String, Object> configs;

    TopologyStore(String label, Map<String, Object> configs) {
        this.label = label;
        this.configs = configs;
    }

    String label() {
        return label;
    }

    /** Streams configs this kind adds to the common ones. */
    Map<String, Object> configs() {
        return configs;
    }

    KeyValueBytesStoreSupplier supplier(String storeName) {
        return this == LAMINA ? LaminaStores.persistentKeyValueStore(storeName)
                : Stores.persistentKeyValueStore(storeName);
    }
}
