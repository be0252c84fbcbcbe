package dev.lamina.benchmarks.jmh;

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
 * The {@link StateStoreContext} a benchmarked store is initialised with, as Kafka Streams initialises one: a state
 * directory, the application's configs (originals overlaid with the parsed Streams settings, which is where
 * {@code rocksdb.config.setter} is read from), Kafka's metrics implementation, and the restore callback the store
 * registers, which the benchmarks then drive.
 */
public final class BenchContext implements StateStoreContext {
    private static final String APPLICATION_ID = "lamina-jmh";

    private final Metrics kafkaMetrics = new Metrics();
    private final StreamsMetricsImpl metrics = new StreamsMetricsImpl(kafkaMetrics, "jmh", Time.SYSTEM);
    private final File stateDir;
    private final Map<String, Object> configs = new HashMap<>();
    private StateRestoreCallback restoreCallback;

    /** A context over {@code stateDir} with the Streams configs plus {@code extraConfigs}. */
    public BenchContext(File stateDir, Map<String, Object> extraConfigs) {
        this.stateDir = stateDir;
        configs.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        configs.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        configs.put("processing.exception.handler.global.enabled", true); // silences a warning per init
        configs.putAll(extraConfigs);
    }

    public StateRestoreCallback restoreCallback() {
        return restoreCallback;
    }

    /** Closes Kafka's metrics registry; call after the store is closed. */
    public void close() {
        kafkaMetrics.close();
    }

    @Override
    public String applicationId() {
        return APPLICATION_ID;
    }

    @Override
    public TaskId taskId() {
        return new TaskId(0, 0);
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.empty();
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
        restoreCallback = callback;
    }

    @Override
    public void register(StateStore store, StateRestoreCallback callback, CommitCallback commitCallback) {
        restoreCallback = callback;
    }

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
