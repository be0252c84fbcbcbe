package dev.lamina.streams;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;

/**
 * Factory of Lamina state stores, mirroring Kafka's {@code Stores}: use these suppliers wherever a topology would
 * use {@code Stores.persistentKeyValueStore}.
 *
 * <pre>{@code
 * builder.table("t", Materialized.as(LaminaStores.persistentKeyValueStore("t-store")));
 * Stores.keyValueStoreBuilder(LaminaStores.persistentKeyValueStore("s"), Serdes.String(), Serdes.Long());
 * }</pre>
 *
 * <p>Each store instance opens one Lamina engine in {@code <task state dir>/lamina/<name>}. Engine settings come
 * from the {@code lamina.*} entries of the Streams config (see {@link LaminaStoreConfig}).
 */
public final class LaminaStores {
    private LaminaStores() {
    }

    /**
     * A persistent key-value store on Lamina. Inside a timestamped builder (a KTable) Kafka Streams wraps it in its
     * adapter, exactly as it does Kafka's own plain persistent store.
     *
     * @param name the store's name; not null
     */
    public static KeyValueBytesStoreSupplier persistentKeyValueStore(String name) {
        return new LaminaKeyValueBytesStoreSupplier(name, false);
    }

    /**
     * A persistent key-value store on Lamina that keeps a timestamp with each value; its store implements
     * {@code TimestampedBytesStore}. Use it for {@code Stores.timestampedKeyValueStoreBuilder} and KTables.
     *
     * @param name the store's name; not null
     */
    public static KeyValueBytesStoreSupplier persistentTimestampedKeyValueStore(String name) {
        return new LaminaKeyValueBytesStoreSupplier(name, true);
    }
}
