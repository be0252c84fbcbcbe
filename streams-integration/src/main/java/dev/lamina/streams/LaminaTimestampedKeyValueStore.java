package dev.lamina.streams;

import dev.lamina.streams.CommitMetadata.StoreFormat;
import org.apache.kafka.streams.state.TimestampedBytesStore;

/**
 * A Lamina key-value store whose values carry their timestamp ({@link TimestampedBytesStore}: eight bytes of
 * timestamp, then the value), so Kafka Streams uses it without an adapter for timestamped stores and KTables and
 * restores its changelog into that format. A plain Lamina store opened as timestamped is converted once; the other
 * way is refused.
 */
final class LaminaTimestampedKeyValueStore extends LaminaKeyValueStore implements TimestampedBytesStore {
    LaminaTimestampedKeyValueStore(String name, String metricsScope) {
        super(name, metricsScope, StoreFormat.TIMESTAMPED);
    }
}
