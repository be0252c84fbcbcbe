package dev.lamina.benchmarks.jmh;

import dev.lamina.streams.LaminaStores;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/** The stores under test, each with the Streams configs it runs with. */
public enum StoreKind {
    /** Lamina at its defaults (16 MiB memtable, 32 MiB block cache, LZ4, value threshold 1 KiB). */
    LAMINA(() -> LaminaStores.persistentKeyValueStore("bench"), Map.of()),
    /** Kafka's RocksDB store ({@code Stores.persistentKeyValueStore}) at Kafka's defaults. */
    ROCKSDB(() -> Stores.persistentKeyValueStore("bench"), Map.of()),
    /** Kafka's RocksDB store with the bounded-memory config setter Kafka's documentation recommends. */
    ROCKSDB_BOUNDED(() -> Stores.persistentKeyValueStore("bench"),
            Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class)),
    /** Kafka's {@code InMemoryKeyValueStore} ({@code Stores.inMemoryKeyValueStore}). */
    IN_MEMORY(() -> Stores.inMemoryKeyValueStore("bench"), Map.of());

    private final Supplier<KeyValueBytesStoreSupplier> supplier;
    private final Map<String, Object> configs;

    StoreKind(Supplier<KeyValueBytesStoreSupplier> supplier, Map<String, Object> configs) {
        this.supplier = supplier;
        this.configs = configs;
    }

    /** A new supplier of this kind of store, named {@code bench}. */
    public KeyValueBytesStoreSupplier supplier() {
        return supplier.get();
    }

    /** The Streams configs this store runs with (on top of the defaults). */
    public Map<String, Object> configs() {
        return configs;
    }

    boolean persistent() {
        return this != IN_MEMORY;
    }
}
