package dev.lamina.benchmarks.jmh;

import dev.lamina.streams.LaminaStores;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/** The stores under test, each with the Streams configs it runs with. */
public enum StoreKind {
    /** Lamina at its defaults (64 MiB memtables and the block cache within the shared 256 MiB budget, LZ4, value
     * threshold 1 KiB). */
    LAMINA(() -> LaminaStores.persistentKeyValueStore("bench"), Map.of()),
    /** Kafka's RocksDB store ({@code Stores.persistentKeyValueStore}) at Kafka's defaults. */
    ROCKSDB(() -> Stores.persistentKeyValueStore("bench"), Map.of()),
    /** Kafka's RocksDB store with the bounded-memory config setter Kafka's documentation recommends. */
    ROCKSDB_BOUNDED(() -> Stores.persistentKeyValueStore("bench"),
            Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class)),
    /** Kafka's {@code InMemoryKeyValueStore} ({@code Stores.inMemoryKeyValueStore}). */
    IN_MEMORY(() -> Stores.inMemoryKeyValueStore("bench"), Map.of());

    /** Extra Streams configs for {@link #LAMINA}; set in the forked JVM, e.g. through {@code bench.jvm}. */
    public static final String LAMINA_CONFIGS_PROPERTY = "bench.lamina";

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

    /**
     * The Streams configs this store runs with (on top of the defaults). Lamina's also take the system property
     * {@value #LAMINA_CONFIGS_PROPERTY}, {@code key=value} pairs separated by commas (for example
     * {@code lamina.write.buffer.bytes=64MiB}), so a run can measure Lamina with a setting other than its default.
     */
    public Map<String, Object> configs() {
        String extra = System.getProperty(LAMINA_CONFIGS_PROPERTY, "");
        if (this != LAMINA || extra.isBlank()) {
            return configs;
        }
        Map<String, Object> all = new HashMap<>(configs);
        for (String pair : extra.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(LAMINA_CONFIGS_PROPERTY + ": not key=value: '" + pair + "'");
            }
            all.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return all;
    }

    boolean persistent() {
        return this != IN_MEMORY;
    }
}
