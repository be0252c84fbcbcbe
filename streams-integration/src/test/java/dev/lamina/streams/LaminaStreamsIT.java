package dev.lamina.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.kafka.embedded.EmbeddedKafkaCluster;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Kafka Streams application on Lamina stores against a real in-JVM KRaft broker. Under exactly-once it processes,
 * is stopped with its state kept, resumes from its committed offsets without restoring, and with its state deleted
 * restores from the changelog to the same state. Under each guarantee, switching its store from Kafka's RocksDB store
 * to Lamina and back restores the store from its changelog; what happens to the other store's directory is what
 * {@code docs/kafka-streams.md} says.
 */
class LaminaStreamsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String APP = "lamina-it";
    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"};

    private static EmbeddedKafkaCluster kafka;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.start();
        kafka.createTopic("words", 2);
        kafka.createTopic("switch-words-alos", 2);
        kafka.createTopic("switch-words-eos", 2);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Restored-record counts of one run, per store. */
    private static final class Restores implements StateRestoreListener {
        final Map<String, AtomicLong> restored = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
            restored.computeIfAbsent(store, s -> new AtomicLong());
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long count) {
            restored.computeIfAbsent(store, s -> new AtomicLong()).addAndGet(count);
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        }

        long total(String store) {
            AtomicLong n = restored.get(store);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void resumesFromItsCommittedOffsetsAndRebuildsLostStateFromTheChangelog() throws Exception {
        Map<String, Long> expected = new TreeMap<>();
        produce("words", 3000, new Random(1), expected);

        // Run 1: process everything.
        Restores first = new Restores();
        KafkaStreams streams = start(first, APP, "words", LAMINA_COUNTS, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            awaitCounts(streams, expected);
            assertEquals(0, first.total("word-counts"), "a fresh store has nothing to restore");
            checkInteractiveQueries(streams, expected);
            checkJmx(streams);
            checkStoreCommitsUnderExactlyOnce(streams, expected);
        } finally {
            stop(streams);
        }
        assertTrue(laminaStoreDirs().contains(Path.of(APP, "1_0", "lamina", "word-counts")), laminaStoreDirs()
                .toString());
        assertTrue(laminaStoreDirs().stream().anyMatch(p -> p.endsWith(Path.of("lamina", "last-word"))),
                "dsl.store.suppliers.class put the DSL's default store on Lamina: " + laminaStoreDirs());

        // Run 2: more input, same state directory: resumes from the stores' committed offsets.
        produce("words", 2000, new Random(2), expected);
        Restores second = new Restores();
        streams = start(second, APP, "words", LAMINA_COUNTS, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            awaitCounts(streams, expected);
            assertEquals(0, second.total("word-counts"),
                    "a clean restart under exactly-once resumes without restoring");
        } finally {
            stop(streams);
        }

        // Run 3: state deleted: rebuilt from the changelog.
        deleteRecursively(stateDir);
        Restores third = new Restores();
        streams = start(third, APP, "words", LAMINA_COUNTS, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            awaitCounts(streams, expected);
            assertTrue(third.total("word-counts") >= expected.size(),
                    "restored " + third.total("word-counts") + " changelog records");
        } finally {
            stop(streams);
        }
    }

    /**
     * Switching the counts from Kafka's RocksDB store to Lamina, then back, each time after a clean shutdown: the new
     * store is empty and restores the changelog. Under at-least-once the other store's directory stays; under
     * exactly-once Kafka finds a store without offsets in a task directory that is not empty, reports the task
     * corrupted and wipes the directory, the other store's included.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void switchingTheStoreBetweenRocksDbAndLaminaRestoresItFromTheChangelog(String guarantee) throws Exception {
        boolean eos = guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2);
        String app = "switch-" + (eos ? "eos" : "alos");
        String topic = "switch-words-" + (eos ? "eos" : "alos");
        Map<String, Long> expected = new TreeMap<>();
        produce(topic, 2000, new Random(3), expected);
        Path task = Path.of(app, "1_0");
        long[] changelogAfter = new long[3];
        List<java.util.function.Supplier<KeyValueBytesStoreSupplier>> runs = List.of(ROCKSDB_COUNTS, LAMINA_COUNTS,
                ROCKSDB_COUNTS);
        for (int run = 0; run < runs.size(); run++) {
            if (run > 0) {
                produce(topic, 500, new Random(3 + run), expected);
            }
            Restores restores = new Restores();
            KafkaStreams streams = start(restores, app, topic, runs.get(run), guarantee);
            try {
                awaitCounts(streams, expected);
            } finally {
                stop(streams);
            }
            changelogAfter[run] = changelogRecords(app);
            boolean onLamina = runs.get(run) == LAMINA_COUNTS;
            Path own = task.resolve(onLamina ? "lamina" : "rocksdb").resolve("word-counts");
            Path other = task.resolve(onLamina ? "rocksdb" : "lamina").resolve("word-counts");
            String what = guarantee + ", run " + run + " on " + (onLamina ? "Lamina" : "RocksDB") + ": ";
            assertTrue(Files.isDirectory(stateDir.resolve(own)), what + "its store: " + storeDirs());
            if (run == 0) {
                assertEquals(0, restores.total("word-counts"), what + "a fresh store restores nothing");
                continue;
            }
            long restored = restores.total("word-counts");
            assertEquals(!eos, Files.isDirectory(stateDir.resolve(other)), what + "the other store's directory "
                    + (eos ? "is wiped with the task" : "stays") + ": " + storeDirs());
            if (eos) {
                // The task was wiped: the whole changelog (whose offsets also count transaction markers).
                assertTrue(restored >= expected.size(), what + "restored only " + restored);
            } else if (run == 1) {
                assertEquals(changelogAfter[0], restored, what + "the new store restores the whole changelog");
            } else {
                // The old store kept its state and its offsets: it replays what the changelog got since it last ran.
                assertEquals(changelogAfter[1] - changelogAfter[0], restored, what + "rolled back");
            }
            System.out.println(what + restored + " records restored; changelog " + changelogAfter[run]);
        }
    }

    /** Records in the counts' changelog (its end offsets, summed over its partitions). */
    private static long changelogRecords(String app) {
        Properties props = new Properties();
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            String topic = app + "-word-counts-changelog";
            return consumer.endOffsets(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)))
                    .values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private List<Path> storeDirs() throws IOException {
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().matches(
                    "lamina|rocksdb")).map(stateDir::relativize).toList();
        }
    }

    /** Closes and leaves the group, so the next run need not wait out the session timeout. */
    private static void stop(KafkaStreams streams) {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
    }

    private static final java.util.function.Supplier<KeyValueBytesStoreSupplier> LAMINA_COUNTS =
            () -> LaminaStores.persistentKeyValueStore("word-counts");
    private static final java.util.function.Supplier<KeyValueBytesStoreSupplier> ROCKSDB_COUNTS =
            () -> Stores.persistentKeyValueStore("word-counts");

    /** Counts the words of {@code topic} in the store {@code counts} gives ("word-counts"). */
    private KafkaStreams start(Restores restores, String app, String topic,
            java.util.function.Supplier<KeyValueBytesStoreSupplier> counts, String guarantee) {
        StreamsBuilder builder = new StreamsBuilder();
        var words = builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
        words.groupBy((key, word) -> word, Grouped.with("by-word", Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long>as(counts.get())
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        // No supplier given: dsl.store.suppliers.class decides.
        words.groupByKey().reduce((a, b) -> b, Materialized.as("last-word"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, LaminaDslStoreSuppliers.class);
        props.put(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG, "1MiB");
        props.put(LaminaStoreConfig.COMPRESSION_CONFIG, "zstd");
        KafkaStreams streams = new KafkaStreams(builder.build(props), props);
        streams.setGlobalStateRestoreListener(restores);
        streams.start();
        return streams;
    }

    private static void produce(String topic, int count, Random random, Map<String, Long> expected)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < count; i++) {
                String word = WORDS[random.nextInt(WORDS.length)] + random.nextInt(40);
                producer.send(new ProducerRecord<>(topic, "doc-" + random.nextInt(100), word));
                expected.merge(word, 1L, Long::sum);
            }
            producer.flush();
        }
    }

    private static void awaitCounts(KafkaStreams streams, Map<String, Long> expected) throws InterruptedException {
        List<Map<String, Long>> seen = new java.util.ArrayList<>(List.of(Map.of()));
        await(streams, () -> {
            seen.set(0, counts(streams));
            return seen.get(0).equals(expected);
        }, () -> "counts: expected " + expected.size() + " words totalling " + sum(expected) + ", saw "
                + seen.get(0).size() + " totalling " + sum(seen.get(0)));
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> counts(KafkaStreams streams) {
        Map<String, Long> counts = new TreeMap<>();
        try {
            ReadOnlyKeyValueStore<String, Long> store = streams.store(StoreQueryParameters.fromNameAndType(
                    "word-counts", QueryableStoreTypes.keyValueStore()));
            try (KeyValueIterator<String, Long> it = store.all()) {
                it.forEachRemaining(kv -> counts.put(kv.key, kv.value));
            }
        } catch (InvalidStateStoreException e) {
            return Map.of(); // rebalancing or restoring: ask again
        }
        return counts;
    }

    private static void checkInteractiveQueries(KafkaStreams streams, Map<String, Long> expected) {
        String word = expected.keySet().iterator().next();
        ReadOnlyKeyValueStore<String, Long> store = streams.store(StoreQueryParameters.fromNameAndType(
                "word-counts", QueryableStoreTypes.keyValueStore()));
        assertEquals(expected.get(word), store.get(word));
        StateQueryResult<Long> result = streams.query(StateQueryRequest.inStore("word-counts")
                .withQuery(KeyQuery.<String, Long>withKey(word)));
        assertEquals(expected.get(word), result.getOnlyPartitionResult().getResult());
        assertFalse(result.getPosition().isEmpty(), "the result carries the store's position");
    }

    /**
     * The store's metrics are MBeans, one per task, and count what the task wrote. The counts reach the store only
     * when the task's record cache is flushed, at its next commit: until then interactive queries read them from the
     * cache, so {@link #awaitCounts} may return before a task has written anything to its store.
     */
    private static void checkJmx(KafkaStreams streams) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName(
                "kafka.streams:type=stream-state-metrics,lamina-state-id=word-counts,*"), null);
        assertEquals(Set.of("1_0", "1_1"), names.stream().map(n -> n.getKeyProperty("task-id"))
                .collect(java.util.stream.Collectors.toSet()), "one MBean per task of the counting sub-topology");
        for (ObjectName name : names) {
            assertTrue(name.getKeyProperty("thread-id").contains("StreamThread"), name.toString());
            await(streams, () -> metric(server, name, "user-bytes-written-total") > 0,
                    () -> "bytes written, after the task's cache was flushed at a commit: " + name);
            assertTrue(metric(server, name, "commits-total") > 0, name.toString());
        }
    }

    /**
     * Under exactly-once, Kafka 4.3 commits a store when its task has restored (and when it closes), not at the
     * task's commits: a trickle of input makes the task commit every 200 ms, and the store's count stays put.
     */
    private static void checkStoreCommitsUnderExactlyOnce(KafkaStreams streams, Map<String, Long> expected)
            throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName thread = server.queryNames(new ObjectName("kafka.streams:type=stream-thread-metrics,thread-id=*"),
                null).iterator().next();
        Set<ObjectName> stores = server.queryNames(new ObjectName(
                "kafka.streams:type=stream-state-metrics,lamina-state-id=word-counts,*"), null);
        long taskCommitsBefore = metric(server, thread, "commit-total");
        Random random = new Random(4);
        for (int i = 0; i < 10; i++) {
            produce("words", 20, random, expected);
            Thread.sleep(300);
        }
        awaitCounts(streams, expected);
        long taskCommits = metric(server, thread, "commit-total") - taskCommitsBefore;
        assertTrue(taskCommits >= 5, "the trickle made the task commit: " + taskCommits);
        for (ObjectName store : stores) {
            // Two here (its restore, its first write), three if a rebalance suspended the task: never one a commit.
            assertTrue(metric(server, store, "commits-total") <= 3, store + ": " + metric(server, store,
                    "commits-total") + " store commits in " + taskCommits + " task commits");
        }
    }

    private static long metric(MBeanServer server, ObjectName name, String attribute) {
        try {
            return ((Number) server.getAttribute(name, attribute)).longValue();
        } catch (javax.management.JMException e) {
            throw new AssertionError("reading " + attribute + " of " + name, e);
        }
    }

    private static void await(KafkaStreams streams, BooleanSupplier condition, java.util.function.Supplier<String>
            describe) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(streams.state().hasStartedOrFinishedShuttingDown(), "Kafka Streams stopped: "
                    + streams.state());
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + describe.get());
            }
            Thread.sleep(100);
        }
    }

    private List<Path> laminaStoreDirs() throws IOException {
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("lamina"))
                    .map(stateDir::relativize).toList();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
