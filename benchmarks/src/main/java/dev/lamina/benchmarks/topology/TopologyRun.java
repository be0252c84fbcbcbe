package dev.lamina.benchmarks.topology;

import dev.lamina.benchmarks.Directories;
import dev.lamina.kafka.embedded.EmbeddedKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Whole-run topology throughput of Lamina against Kafka's RocksDB store (at Kafka's defaults and with
 * {@code BoundedMemoryRocksDBConfig}), on one in-JVM KRaft broker ({@link EmbeddedKafkaCluster}).
 *
 * <p>The input of both topologies ({@link Workload#AGGREGATE}: an aggregation that keeps a multi-KiB value per
 * key; {@link Workload#JOIN}: a stream joined to a KTable of 16 KiB documents) is produced once, before any
 * measurement, so every store reads the same records. Each run then starts a fresh {@link KafkaStreams} with its
 * own {@code application.id} and an empty state directory, and measures input records / seconds from
 * {@code KafkaStreams.start()} until the topology has sent its last output record (one per aggregation input, one
 * per joined event). Streams configs are the same for every store: one stream thread, {@code at_least_once},
 * Kafka's default commit interval (30 s), and the record cache off ({@code statestore.cache.max.bytes=0}, and
 * {@code withCachingDisabled()}), so that every update reaches the store. Rounds alternate the stores (the order
 * rotates each round); the median per store is reported, with the state directory's size after close.
 *
 * <p>Run (full mode, about 9 minutes on a 2-core VM): {@code flock /tmp/lamina-mvn.lock mvn -B -o -pl benchmarks -am -Ptopology
 * verify -DskipTests}; sizes via {@code -Dtopology.*} system properties (see {@link TopologySettings}); output to
 * {@code docs/benchmarks/topology.{csv,md,png}}.
 */
public final class TopologyRun {
    /** A run that has not finished after this long is stopped and reported as partial (records/s so far). */
    private static final long TIME_LIMIT_NANOS = Integer.getInteger("topology.timeLimitSeconds", 180) * 1_000_000_000L;
    private static final long PROGRESS_NANOS = 15_000_000_000L;

    private TopologyRun() {
    }

    /** One measured run of one topology on one store kind. */
    record Result(Workload workload, TopologyStore store, int round, long inputRecords, long nanos,
            long startupNanos, long joinHits, long stateDirBytes, boolean complete) {
        double recordsPerSecond() {
            return inputRecords / (nanos / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        TopologySettings settings = TopologySettings.fromSystemProperties();
        List<Result> results = run(settings);
        TopologyReport.write(results, settings);
        System.out.println();
        System.out.print(TopologyReport.table(results));
        System.out.println("Written to " + settings.out().resolve(settings.name()) + ".{csv,md,png}");
    }

    /** Starts a broker, produces the input, runs every workload on every store for every round. */
    static List<Result> run(TopologySettings s) throws Exception {
        System.out.printf("Topology run: %s, Java %s, %d cores, max heap %,d MiB%n", s,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        Path kafkaDir = Files.createTempDirectory("topology-kafka");
        List<Result> results = new ArrayList<>();
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(kafkaDir,
                // No time-based retention: the broker's retention check (30 s after start, then every 5 minutes)
                // must not delete input that later runs read.
                Map.of("log.segment.bytes", Integer.toString(64 << 20), "log.retention.ms", "-1"))) {
            try (Producer<String, byte[]> producer = producer(kafka)) {
                for (Workload w : s.workloads()) {
                    long start = System.nanoTime();
                    for (String topic : w.inputTopics()) {
                        kafka.createTopic(topic, 1);
                    }
                    kafka.createTopic(w.outputTopic(), 1);
                    w.produce(producer, s, System.currentTimeMillis());
                    System.out.printf("produced %s input: %,d records in %.1f s%n", w, s.inputRecords(w),
                            (System.nanoTime() - start) / 1e9);
                }
            }
            for (int round = 0; round < s.rounds(); round++) {
                for (Workload w : s.workloads()) {
                    for (int i = 0; i < s.stores().size(); i++) {
                        TopologyStore store = s.stores().get((i + round) % s.stores().size());
                        Result r = runOne(kafka, w, store, round, s);
                        results.add(r);
                        System.out.printf("round %d %-9s %-24s %,10.0f records/s (%s%.1f s, first output after"
                                        + " %.1f s)%s, state dir %,.1f MB%n", round, w, store.label(),
                                r.recordsPerSecond(), r.complete() ? "" : "PARTIAL, time limit: ", r.nanos() / 1e9,
                                r.startupNanos() / 1e9,
                                w == Workload.JOIN ? String.format(", %,d joined", r.joinHits()) : "",
                                r.stateDirBytes() / 1e6);
                    }
                }
            }
        } finally {
            Directories.deleteRecursively(kafkaDir);
        }
        return results;
    }

    private static Result runOne(EmbeddedKafkaCluster kafka, Workload w, TopologyStore store, int round,
            TopologySettings s) throws Exception {
        String appId = "topology-" + w.name().toLowerCase() + "-" + store.name().toLowerCase() + "-r" + round;
        Path stateDir = Files.createTempDirectory("topology-state");
        Workload.Counters counters = new Workload.Counters();
        long expected = s.outputRecords(w);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        System.gc();
        try {
            KafkaStreams streams = new KafkaStreams(w.topology(store, s, counters), streamsConfig(kafka, appId,
                    stateDir, store));
            streams.setUncaughtExceptionHandler(e -> {
                failure.set(e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            long start = System.nanoTime();
            long end;
            try {
                streams.start();
                long nextReport = start + PROGRESS_NANOS;
                while (counters.output.get() < expected) {
                    if (System.nanoTime() > nextReport) {
                        nextReport += PROGRESS_NANOS;
                        System.out.printf("  %s: %,d of %,d output records after %.0f s%n", appId,
                                counters.output.get(), expected, (System.nanoTime() - start) / 1e9);
                    }
                    if (failure.get() != null) {
                        throw new IllegalStateException(appId + " failed", failure.get());
                    }
                    if (System.nanoTime() - start > TIME_LIMIT_NANOS) {
                        System.out.printf("  %s: stopped at the time limit after %,d of %,d output records%n",
                                appId, counters.output.get(), expected);
                        break;
                    }
                    Thread.sleep(2);
                }
                end = System.nanoTime();
            } finally {
                streams.close(Duration.ofMinutes(2));
            }
            long done = counters.output.get();
            // A partial run counts the input it got through: all of it per output record of the aggregation; for
            // the join, the events sent and the documents in proportion.
            long input = done >= expected ? s.inputRecords(w)
                    : Math.round(done * (double) s.inputRecords(w) / expected);
            return new Result(w, store, round, input, end - start, counters.firstOutputNanos - start,
                    counters.joinHits.get(), Directories.bytes(stateDir), done >= expected);
        } finally {
            Directories.deleteRecursively(stateDir);
            deleteInternalTopics(kafka.admin(), appId);
        }
    }

    static Properties streamsConfig(EmbeddedKafkaCluster kafka, String appId, Path stateDir, TopologyStore store) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        p.putAll(store.configs());
        return p;
    }

    private static Producer<String, byte[]> producer(EmbeddedKafkaCluster kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** The changelog (and any repartition) topics of a finished run, so that the broker's disk does not fill. */
    private static void deleteInternalTopics(Admin admin, String appId)
            throws InterruptedException, ExecutionException {
        List<String> internal = admin.listTopics().names().get().stream()
                .filter(t -> t.startsWith(appId + "-")).toList();
        if (!internal.isEmpty()) {
            admin.deleteTopics(internal).all().get();
        }
    }


}
