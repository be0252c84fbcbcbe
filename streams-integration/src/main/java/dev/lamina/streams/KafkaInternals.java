package dev.lamina.streams;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.internals.ChangelogRecordDeserializationHelper;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;
import org.apache.kafka.streams.query.Position;

/**
 * Every use of Kafka Streams classes outside its public API, in one place, so a Kafka upgrade has one file to
 * check. The built-in stores rely on the same classes: the changelog's position headers can only be read with
 * Kafka's own decoder, and store-level gauges tagged like the built-in ones can only be added through
 * {@code StreamsMetricsImpl}.
 */
final class KafkaInternals {
    private KafkaInternals() {
    }

    /** Whether the application records query positions in changelog headers (IQv2 consistency vectors). */
    static boolean consistencyEnabled(Map<String, Object> appConfigs) {
        return StreamsConfig.InternalConfig.getBoolean(appConfigs,
                StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, false);
    }

    /** Merges the position a changelog record carries in its headers into {@code position}, as Kafka's stores do. */
    static void updatePositionFromChangelog(ConsumerRecord<byte[], byte[]> record, boolean consistencyEnabled,
            Position position) {
        ChangelogRecordDeserializationHelper.applyChecksAndUpdatePosition(record, consistencyEnabled, position);
    }

    /**
     * Adds a store-level gauge (group {@code stream-state-metrics}, tags thread-id, task-id and
     * {@code <scope>-state-id}), or returns null when the context's metrics are not Kafka's implementation.
     */
    static MetricName addStoreGauge(StreamsMetrics metrics, String taskId, String scope, String storeName,
            String name, String description, Gauge<?> gauge) {
        if (!(metrics instanceof StreamsMetricsImpl impl)) {
            return null;
        }
        return impl.addStoreLevelMutableMetric(taskId, scope, storeName, name, description,
                Sensor.RecordingLevel.INFO, gauge);
    }

    /** Removes a gauge added by {@link #addStoreGauge}. */
    static void removeStoreGauge(StreamsMetrics metrics, MetricName name) {
        if (metrics instanceof StreamsMetricsImpl impl) {
            impl.removeStoreLevelMetric(name);
        }
    }
}
