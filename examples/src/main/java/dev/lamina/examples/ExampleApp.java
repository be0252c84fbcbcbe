package dev.lamina.examples;

import dev.lamina.streams.LaminaStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.QueryableStoreType;

/** One run of an example application: Kafka Streams on Lamina stores, with what it restored, per store. */
final class ExampleApp implements StateRestoreListener {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final KafkaStreams streams;
    private final Map<String, AtomicLong> restoredRecords = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> restoreNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> restoreStart = new ConcurrentHashMap<>();

    private ExampleApp(Topology topology, Properties props) {
        this.streams = new KafkaStreams(topology, props);
        streams.setGlobalStateRestoreListener(this);
    }

    /** Starts {@code topology} under exactly-once with its state in {@code stateDir}. */
    static ExampleApp start(String applicationId, Topology topology, String bootstrapServers, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.producerPrefix("max.request.size"), 1 << 20);
        // Engine settings for every Lamina store of the application.
        props.put(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG, "8MiB");
        props.put(LaminaStoreConfig.COMPRESSION_CONFIG, "lz4");
        ExampleApp app = new ExampleApp(topology, props);
        app.streams.start();
        return app;
    }

    KafkaStreams streams() {
        return streams;
    }

    /** A store of the running application, once it is queryable. */
    <T> T store(String name, QueryableStoreType<T> type) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return streams.store(StoreQueryParameters.fromNameAndType(name, type));
            } catch (InvalidStateStoreException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep();
            }
        }
    }

    /** Waits for {@code condition}, which may throw {@link InvalidStateStoreException} during rebalances. */
    void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (InvalidStateStoreException e) {
                // not queryable yet
            }
            if (streams.state().hasStartedOrFinishedShuttingDown()) {
                throw new IllegalStateException("Kafka Streams stopped (" + streams.state() + ") waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            sleep();
        }
    }

    long restored(String store) {
        AtomicLong n = restoredRecords.get(store);
        return n == null ? 0 : n.get();
    }

    /** Time spent restoring the store, summed over its partitions, in nanoseconds. */
    long restoreNanos(String store) {
        AtomicLong n = restoreNanos.get(store);
        return n == null ? 0 : n.get();
    }

    /** Closes the application and leaves the group, so a restart is assigned its tasks at once. */
    void stop() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
        restoreStart.put(store + partition, System.nanoTime());
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restoredRecords.computeIfAbsent(store, s -> new AtomicLong()).addAndGet(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        Long start = restoreStart.remove(store + partition);
        if (start != null) {
            restoreNanos.computeIfAbsent(store, s -> new AtomicLong()).addAndGet(System.nanoTime() - start);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
