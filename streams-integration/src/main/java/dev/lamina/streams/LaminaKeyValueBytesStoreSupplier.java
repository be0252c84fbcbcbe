package dev.lamina.streams;

import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Supplies Lamina key-value stores, plain or timestamped; obtain one from {@link LaminaStores}. Each
 * {@link #get()} is a new, unopened store: Kafka Streams creates one per task.
 */
public final class LaminaKeyValueBytesStoreSupplier implements KeyValueBytesStoreSupplier {
    /** The metrics scope of Lamina stores; their store-level metrics carry the tag {@code lamina-state-id}. */
    public static final String METRICS_SCOPE = "lamina";

    private final String name;
    private final boolean timestamped;

    LaminaKeyValueBytesStoreSupplier(String name, boolean timestamped) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.timestamped = timestamped;
    }

    @Override
    public String name() {
        return name;
    }

    /** Whether the stores supplied keep values in the timestamped format. */
    public boolean timestamped() {
        return timestamped;
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return timestamped ? new LaminaTimestampedKeyValueStore(name, metricsScope())
                : new LaminaKeyValueStore(name, metricsScope());
    }

    /** Returns {@value #METRICS_SCOPE}. */
    @Override
    public String metricsScope() {
        return METRICS_SCOPE;
    }

    @Override
    public String toString() {
        return "LaminaKeyValueBytesStoreSupplier{name=" + name + ", timestamped=" + timestamped + "}";
    }
}
