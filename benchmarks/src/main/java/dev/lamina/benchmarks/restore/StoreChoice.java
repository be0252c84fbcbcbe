package dev.lamina.benchmarks.restore;

import dev.lamina.benchmarks.jmh.BoundedMemoryRocksDBConfig;
import dev.lamina.streams.LaminaStores;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/** The stores the restore run compares, each with the Streams configs the application runs with. */
public enum StoreChoice {
    /** Lamina at its defaults ({@code LaminaStores.persistentKeyValueStore}). */
    LAMINA("Lamina"),
    /** Kafka's RocksDB store ({@code Stores.persistentKeyValueStore}) at Kafka's defaults. */
    ROCKSDB("RocksDB (Kafka defaults)"),
    /** Kafka's RocksDB store with {@link BoundedMemoryRocksDBConfig}, the setter Kafka's documentation recommends. */
    ROCKSDB_BOUNDED("RocksDB (bounded)"),
    /** Kafka's in-memory store: only used to write the changelog of the restore-from-empty part once. */
    IN_MEMORY("in-memory");

    private final String label;

    StoreChoice(String label) {
        this.label = label;
    }

    /** The name used in tables and charts. */
    public String label() {
        return label;
    }

    KeyValueBytesStoreSupplier supplier(String name) {
        return switch (this) {
            case LAMINA -> LaminaStores.persistentKeyValueStore(name);
            case ROCKSDB, ROCKSDB_BOUNDED -> Stores.persistentKeyValueStore(name);
            case IN_MEMORY -> Stores.inMemoryKeyValueStore(name);
        };
    }

    Map<String, Object> configs() {
        return this == ROCKSDB_BOUNDED
                ? Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class)
                : Map.of();
    }
}
