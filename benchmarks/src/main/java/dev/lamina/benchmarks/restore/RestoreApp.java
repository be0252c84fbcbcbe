package dev.lamina.benchmarks.restore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The Kafka Streams application of the restore run, started by {@link RestoreRun} in a child JVM of its own
 * ({@code java -cp <same classpath> dev.lamina.benchmarks.restore.RestoreApp key=value ...}) so that it can be
 * killed with SIGKILL.
 *
 * <p>Topology: the input topic's records are written as they come into one key-value store with changelog logging
 * (Processor API, caching off), so every input record is one changelog record. The store is Lamina, Kafka's RocksDB
 * store or Kafka's in-memory store ({@link StoreChoice}). One stream thread, static group membership (so that a
 * restarted instance takes over its tasks at once instead of waiting for the dead member's session to expire).
 *
 * <p>It reports on stdout, one event per line: {@code restore-start <from> <to>}, {@code restore-end <records>
 * <nanos>} (from a {@link StateRestoreListener}), {@code ready} (the task's processor was initialised, so restoring
 * is over), {@code processed <count> <last input offset>} (every 100 ms while it changes) and {@code closed}. It
 * closes cleanly when its stdin says {@code stop} or ends.
 *
 * <p>Arguments ({@code key=value}): {@code bootstrap}, {@code app} (application id), {@code stateDir},
 * {@code store} ({@link StoreChoice} name), {@code input} (topic), {@code guarantee} ({@code at_least_once} or
 * {@code exactly_once_v2}), optional {@code commitMs} (otherwise Kafka's default commit interval).
 */
public final class RestoreApp {
    /** The store's name; its changelog is {@code <application id>-restore-store-changelog}. */
    static final String STORE = "restore-store";

    private RestoreApp() {
    }

    /** The changelog topic Kafka Streams creates for the store of application {@code appId}. */
    static String changelog(String appId) {
        return appId + "-" + STORE + "-changelog";
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        StoreChoice store = StoreChoice.valueOf(a.get("store"));
        AtomicLong processed = new AtomicLong();
        AtomicLong lastOffset = new AtomicLong(-1);
        KafkaStreams streams = new KafkaStreams(topology(a.get("input"), store, processed, lastOffset),
                config(a, store));
        streams.setGlobalStateRestoreListener(new Listener());
        streams.setUncaughtExceptionHandler(e -> {
            System.err.println("stream thread failed: " + e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .SHUTDOWN_CLIENT;
        });
        streams.start();
        Thread reporter = new Thread(() -> report(processed, lastOffset), "progress-reporter");
        reporter.setDaemon(true);
        reporter.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.equals("stop"));
        }
        streams.close(Duration.ofSeconds(60));
        reporter.interrupt();
        System.out.println("processed " + processed.get() + " " + lastOffset.get());
        System.out.println("closed");
        System.out.flush();
        System.exit(0);
    }

    private static Properties config(Map<String, String> a, StoreChoice store) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, a.get("app"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
        props.put(StreamsConfig.STATE_DIR_CONFIG, a.get("stateDir"));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, a.get("guarantee"));
        if (a.containsKey("commitMs")) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, a.get("commitMs"));
        }
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "restore-run");
        props.putAll(store.configs());
        return props;
    }

    private static Topology topology(String input, StoreChoice store, AtomicLong processed, AtomicLong lastOffset) {
        Topology topology = new Topology();
        topology.addSource("input", Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), input);
        topology.addProcessor("writer", () -> new Writer(processed, lastOffset), "input");
        topology.addStateStore(Stores.keyValueStoreBuilder(store.supplier(STORE), Serdes.Bytes(),
                Serdes.ByteArray()), "writer");
        return topology;
    }

    private static void report(AtomicLong processed, AtomicLong lastOffset) {
        long reported = -1;
        while (!Thread.currentThread().isInterrupted()) {
            long n = processed.get();
            if (n != reported) {
                System.out.println("processed " + n + " " + lastOffset.get());
                reported = n;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Puts every input record into the store. */
    private static final class Writer implements Processor<Bytes, byte[], Void, Void> {
        private final AtomicLong processed;
        private final AtomicLong lastOffset;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<Bytes, byte[]> store;

        Writer(AtomicLong processed, AtomicLong lastOffset) {
            this.processed = processed;
            this.lastOffset = lastOffset;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
            System.out.println("ready");
        }

        @Override
        public void process(Record<Bytes, byte[]> record) {
            store.put(record.key(), record.value());
            context.recordMetadata().ifPresent(m -> lastOffset.set(m.offset()));
            processed.incrementAndGet();
        }
    }

    /** Reports the restore of the (single) changelog partition, timed in this JVM. */
    private static final class Listener implements StateRestoreListener {
        private volatile long startNanos;

        @Override
        public void onRestoreStart(TopicPartition partition, String storeName, long from, long to) {
            startNanos = System.nanoTime();
            System.out.println("restore-start " + from + " " + to);
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String storeName, long batchEnd, long restored) {
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
            System.out.println("restore-end " + totalRestored + " " + (System.nanoTime() - startNanos));
        }
    }
}
