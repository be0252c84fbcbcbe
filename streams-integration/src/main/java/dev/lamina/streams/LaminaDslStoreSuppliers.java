package dev.lamina.streams;

import org.apache.kafka.streams.DslStoreFormat;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.DslKeyValueParams;
import org.apache.kafka.streams.state.DslSessionParams;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.DslWindowParams;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.SessionBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/**
 * Moves every DSL key-value store onto Lamina with one line of config:
 * <pre>{@code
 * props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, LaminaDslStoreSuppliers.class);
 * }</pre>
 * Key-value stores (aggregations, counts, reduces, KTables) are Lamina stores: timestamped ones for the timestamped
 * and headers formats (Kafka Streams adapts a timestamped store to headers), plain ones otherwise. Window and
 * session stores are Kafka's built-in RocksDB stores for now, exactly as {@code BuiltInDslStoreSuppliers.ROCKS_DB}
 * supplies them.
 */
public class LaminaDslStoreSuppliers implements DslStoreSuppliers {
    private final DslStoreSuppliers windowsAndSessions = new BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers();

    /** Instantiated by Kafka Streams from {@code dsl.store.suppliers.class}. */
    public LaminaDslStoreSuppliers() {
    }

    @Override
    @SuppressWarnings("deprecation") // isTimestamped(): only when an old caller gave no format
    public KeyValueBytesStoreSupplier keyValueStore(DslKeyValueParams params) {
        DslStoreFormat format = params.dslStoreFormat();
        if (format == null) {
            format = params.isTimestamped() ? DslStoreFormat.TIMESTAMPED : DslStoreFormat.PLAIN;
        }
        return switch (format) {
            case PLAIN -> LaminaStores.persistentKeyValueStore(params.name());
            case TIMESTAMPED, HEADERS -> LaminaStores.persistentTimestampedKeyValueStore(params.name());
        };
    }

    /** Kafka's RocksDB window store (Lamina window stores are not built yet). */
    @Override
    public WindowBytesStoreSupplier windowStore(DslWindowParams params) {
        return windowsAndSessions.windowStore(params);
    }

    /** Kafka's RocksDB session store (Lamina session stores are not built yet). */
    @Override
    public SessionBytesStoreSupplier sessionStore(DslSessionParams params) {
        return windowsAndSessions.sessionStore(params);
    }
}
