package dev.lamina.streams;

import java.io.File;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.metrics.StreamsMetricsImpl;

/**
 * A real {@link StateStoreContext} for opening stores outside a topology: a state directory, the application's
 * configs, Kafka's metrics implementation, settable record metadata, and the restore callback the store registers.
 */
final class TestStoreContext implements StateStoreContext {
    final Metrics kafkaMetrics = new Metrics();
    private final StreamsMetricsImpl metrics = new StreamsMetricsImpl(kafkaMetrics, "test-client", Time.SYSTEM);
    private final File stateDir;
    private final Map<String, Object> configs = new HashMap<>();
    private final TaskId taskId;
    private RecordMetadata recordMetadata;
    StateRestoreCallback restoreCallback;
    StateStore registered;

    TestStoreContext(File stateDir) {
        this(stateDir, new TaskId(0, 0));
    }

    TestStoreContext(File stateDir, TaskId taskId) {
        this.stateDir = stateDir;
        this.taskId = taskId;
        configs.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-app");
        configs.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    }

    TestStoreContext config(String key, Object value) {
        configs.put(key, value);
        return this;
    }

    /** Makes the next writes look like they process {@code topic}-{@code partition} at {@code offset}. */
    void processing(String topic, int partition, long offset) {
        recordMetadata = new RecordMetadata() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return partition;
            }

            @Override
            public long offset() {
                return offset;
            }
        };
    }

    @Override
    public String applicationId() {
        return (String) configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    }

    @Override
    public TaskId taskId() {
        return taskId;
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.ofNullable(recordMetadata);
    }

    @Override
    public Serde<?> keySerde() {
        return Serdes.ByteArray();
    }

    @Override
    public Serde<?> valueSerde() {
        return Serdes.ByteArray();
    }

    @Override
    public File stateDir() {
        return stateDir;
    }

    @Override
    public StreamsMetricsImpl metrics() {
        return metrics;
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback) {
        register(store, callback, () -> { });
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback, CommitCallback commitCallback) {
        registered = store;
        restoreCallback = callback;
    }

    /** As Kafka Streams gives them: the originals, overlaid with every parsed Streams setting. */
    @Override
    public Map<String, Object> appConfigs() {
        Map<String, Object> combined = new HashMap<>(configs);
        combined.putAll(new StreamsConfig(configs).values());
        return combined;
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        Map<String, Object> result = new HashMap<>();
        appConfigs().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }
}
