package dev.lamina.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole topologies on {@code TopologyTestDriver}: each runs on Kafka's RocksDB store and on Lamina with the same
 * input, and must give the same output records and the same final store contents.
 */
class TopologyComparisonTest {
    private static final String[] WORDS = {"kafka", "lamina", "streams", "store", "log", "tree", "merge", "flush"};

    @TempDir
    Path dir;

    /** The Lamina store directories of the last run, relative to its state directory. */
    private List<String> laminaStores = List.of();

    /** What one run produced: output records and the final store contents. */
    private record Run(List<String> output, Map<String, String> store) {
    }

    @Test
    void wordCountGivesTheSameCountsOnLaminaAsOnRocksDb() {
        for (boolean timestamped : new boolean[] {false, true}) {
            Run rocks = wordCount(timestamped ? Stores.persistentTimestampedKeyValueStore("counts")
                    : Stores.persistentKeyValueStore("counts"), "rocks-" + timestamped);
            Run lamina = wordCount(timestamped ? LaminaStores.persistentTimestampedKeyValueStore("counts")
                    : LaminaStores.persistentKeyValueStore("counts"), "lamina-" + timestamped);
            assertFalse(rocks.output().isEmpty());
            assertEquals(rocks, lamina, "timestamped=" + timestamped);
            assertTrue(laminaStores.contains("wc/0_0/lamina/counts"), "the counts live in a Lamina store: "
                    + laminaStores);
        }
    }

    private Run wordCount(KeyValueBytesStoreSupplier supplier, String runName) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("sentences", Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long>as(supplier).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long()))
                .toStream()
                .to("word-counts", Produced.with(Serdes.String(), Serdes.Long()));
        Random random = new Random(42);
        return run(builder.build(), runName, "wc", driver -> {
            TestInputTopic<String, String> in = driver.createInputTopic("sentences", new StringSerializer(),
                    new StringSerializer());
            for (int i = 0; i < 1500; i++) {
                StringBuilder line = new StringBuilder();
                for (int w = random.nextInt(6); w >= 0; w--) {
                    line.append(line.length() == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
                }
                in.pipeInput("line-" + i, line.toString(), 1_000L * i);
            }
            return outputs(driver.createOutputTopic("word-counts", new StringDeserializer(),
                    Serdes.Long().deserializer()));
        }, "counts");
    }

    @Test
    void streamTableJoinGivesTheSameOutputOnLaminaAsOnRocksDb() {
        Run rocks = join(Stores.persistentTimestampedKeyValueStore("users"), "rocks");
        Run lamina = join(LaminaStores.persistentTimestampedKeyValueStore("users"), "lamina");
        assertFalse(rocks.output().isEmpty());
        assertEquals(rocks, lamina);
    }

    private Run join(KeyValueBytesStoreSupplier supplier, String runName) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> users = builder.table("users", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String>as(supplier).withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.String()));
        builder.stream("clicks", Consumed.with(Serdes.String(), Serdes.String()))
                .join(users, (click, user) -> user + " clicked " + click)
                .to("enriched", Produced.with(Serdes.String(), Serdes.String()));
        Random random = new Random(7);
        return run(builder.build(), runName, "join", driver -> {
            TestInputTopic<String, String> userTopic = driver.createInputTopic("users", new StringSerializer(),
                    new StringSerializer());
            TestInputTopic<String, String> clicks = driver.createInputTopic("clicks", new StringSerializer(),
                    new StringSerializer());
            for (int i = 0; i < 3000; i++) {
                String user = "user-" + random.nextInt(200);
                if (random.nextInt(4) == 0) {
                    userTopic.pipeInput(user, random.nextInt(10) == 0 ? null : "name-" + i, i);
                } else {
                    clicks.pipeInput(user, "page-" + random.nextInt(50), i);
                }
            }
            return outputs(driver.createOutputTopic("enriched", new StringDeserializer(), new StringDeserializer()));
        }, "users");
    }

    @Test
    void foreignKeyJoinWithEveryDslStoreOnLaminaMatchesRocksDb() {
        Run rocks = foreignKeyJoin(false);
        Run lamina = foreignKeyJoin(true);
        assertFalse(rocks.output().isEmpty());
        assertEquals(rocks, lamina);
        assertTrue(laminaStores.stream().anyMatch(s -> s.contains("SUBSCRIPTION-STATE-STORE")),
                "the join's internal subscription store runs on Lamina too: " + laminaStores);
        assertTrue(laminaStores.stream().anyMatch(s -> s.endsWith("lamina/customers-store")), laminaStores.toString());
    }

    /** Orders (order -> customer id) joined to customers by foreign key: uses the store's prefix scans. */
    private Run foreignKeyJoin(boolean laminaEverywhere) {
        Properties extra = new Properties();
        extra.put(StreamsConfig.APPLICATION_ID_CONFIG, "fk");
        extra.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        if (laminaEverywhere) {
            extra.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, LaminaDslStoreSuppliers.class);
        }
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(extra)));
        KTable<String, String> customers = builder.table("customers",
                Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("customers-store"));
        KTable<String, String> orders = builder.table("orders", Consumed.with(Serdes.String(), Serdes.String()));
        orders.join(customers, order -> order.split(":")[0], (order, customer) -> order + " for " + customer)
                .toStream().to("orders-enriched", Produced.with(Serdes.String(), Serdes.String()));
        Random random = new Random(11);
        return run(builder.build(extra), extra, laminaEverywhere ? "lamina-fk" : "rocks-fk", "fk", driver -> {
            TestInputTopic<String, String> customerTopic = driver.createInputTopic("customers",
                    new StringSerializer(), new StringSerializer());
            TestInputTopic<String, String> orderTopic = driver.createInputTopic("orders", new StringSerializer(),
                    new StringSerializer());
            for (int i = 0; i < 1500; i++) {
                if (random.nextInt(3) == 0) {
                    customerTopic.pipeInput("c" + random.nextInt(40), "customer-" + i, i);
                } else {
                    String order = "o" + random.nextInt(300);
                    orderTopic.pipeInput(order, random.nextInt(12) == 0 ? null : "c" + random.nextInt(40) + ":" + i,
                            i);
                }
            }
            return outputs(driver.createOutputTopic("orders-enriched", new StringDeserializer(),
                    new StringDeserializer()));
        }, "customers-store");
    }

    @Test
    void processorApiStoreGivesTheSameAnswersOnLaminaAsOnRocksDb() {
        Run rocks = processorApi(Stores.persistentKeyValueStore("totals"), "rocks-papi");
        Run lamina = processorApi(LaminaStores.persistentKeyValueStore("totals"), "lamina-papi");
        assertFalse(rocks.output().isEmpty());
        assertEquals(rocks, lamina);
        assertTrue(laminaStores.contains("papi/0_0/lamina/totals"), laminaStores.toString());
    }

    /** A processor keeping running totals per key; it deletes at zero and emits range and prefix scans. */
    private Run processorApi(KeyValueBytesStoreSupplier supplier, String runName) {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.Long().deserializer(), "amounts");
        topology.addProcessor("totals", () -> new Processor<String, Long, String, String>() {
            private KeyValueStore<String, Long> store;
            private ProcessorContext<String, String> context;

            @Override
            public void init(ProcessorContext<String, String> context) {
                this.context = context;
                this.store = context.getStateStore("totals");
            }

            @Override
            public void process(Record<String, Long> record) {
                Long old = store.get(record.key());
                long total = (old == null ? 0 : old) + record.value();
                if (total == 0) {
                    store.delete(record.key());
                } else {
                    store.put(record.key(), total);
                }
                StringBuilder scan = new StringBuilder();
                try (KeyValueIterator<String, Long> it = store.range("b", "d")) {
                    it.forEachRemaining(kv -> scan.append(kv.key).append(':').append(kv.value).append(' '));
                }
                try (KeyValueIterator<String, Long> it = store.prefixScan(record.key().substring(0, 1),
                        Serdes.String().serializer())) {
                    it.forEachRemaining(kv -> scan.append('|').append(kv.key));
                }
                context.forward(record.withValue(total + " " + scan));
            }
        }, "in");
        topology.addStateStore(Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.Long()), "totals");
        topology.addSink("out", "totals-out", Serdes.String().serializer(), Serdes.String().serializer(), "totals");
        Random random = new Random(3);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "papi");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(runName).toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, Long> in = driver.createInputTopic("amounts", new StringSerializer(),
                    Serdes.Long().serializer());
            for (int i = 0; i < 2000; i++) {
                in.pipeInput(String.valueOf((char) ('a' + random.nextInt(5))) + random.nextInt(30),
                        (long) random.nextInt(7) - 3, i);
            }
            List<String> output = outputs(driver.createOutputTopic("totals-out", new StringDeserializer(),
                    new StringDeserializer()));
            laminaStores = laminaStoreDirs(dir.resolve(runName));
            return new Run(output, contents(driver.getKeyValueStore("totals")));
        }
    }

    private Run run(Topology topology, String runName, String applicationId,
            Function<TopologyTestDriver, List<String>> body, String storeName) {
        return run(topology, new Properties(), runName, applicationId, body, storeName);
    }

    private Run run(Topology topology, Properties extra, String runName, String applicationId,
            Function<TopologyTestDriver, List<String>> body, String storeName) {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(runName).toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64 * 1024);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            List<String> output = body.apply(driver);
            laminaStores = laminaStoreDirs(dir.resolve(runName));
            return new Run(output, contents(driver.getTimestampedKeyValueStore(storeName)));
        }
    }

    private static List<String> laminaStoreDirs(Path stateDir) {
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("lamina"))
                    .map(p -> stateDir.relativize(p).toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> contents(Object store) {
        Map<String, String> contents = new TreeMap<>();
        try (KeyValueIterator<Object, Object> it = ((KeyValueStore<Object, Object>) store).all()) {
            while (it.hasNext()) {
                KeyValue<Object, Object> kv = it.next();
                Object v = kv.value instanceof ValueAndTimestamp<?> vt ? vt.value() + "@" + vt.timestamp() : kv.value;
                contents.put(String.valueOf(kv.key), String.valueOf(v));
            }
        }
        return contents;
    }

    private static <V> List<String> outputs(TestOutputTopic<String, V> topic) {
        List<String> out = new ArrayList<>();
        for (TestRecord<String, V> r : topic.readRecordsToList()) {
            out.add(r.key() + "=" + r.value() + "@" + r.timestamp());
        }
        return out;
    }

}
