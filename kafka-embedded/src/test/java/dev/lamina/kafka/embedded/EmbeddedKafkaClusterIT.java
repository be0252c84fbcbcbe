package dev.lamina.kafka.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaCluster.start();
    }

    @AfterAll
    static void stopKafka() {
        Path dir = kafka.dataDir();
        kafka.close();
        assertFalse(Files.exists(dir), "close() deletes the temporary directory start() made");
        kafka.close();
    }

    @Test
    void producesAndConsumesRecords() throws Exception {
        assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"), kafka.bootstrapServers());
        kafka.createTopic("greetings", 2);
        assertEquals(2, kafka.admin().describeTopics(List.of("greetings")).allTopicNames().get()
                .get("greetings").partitions().size());

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("greetings", "k" + i, "hello " + i)).get();
            }
        }

        Map<String, String> received = new TreeMap<>();
        for (ConsumerRecord<String, String> record : consume("greetings", 5, "plain-reader",
                new StringDeserializer(), () -> { })) {
            received.put(record.key(), record.value());
        }
        assertEquals(Map.of("k0", "hello 0", "k1", "hello 1", "k2", "hello 2", "k3", "hello 3", "k4", "hello 4"),
                received);
    }

    @Test
    void runsKafkaStreamsWithExactlyOnce(@TempDir Path stateDir) throws Exception {
        kafka.createTopic("words", 1);
        kafka.createTopic("word-counts", 1);

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long>as(Stores.inMemoryKeyValueStore("counts"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to("word-counts", Produced.with(Serdes.String(), Serdes.Long()));

        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "embedded-kafka-smoke");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);

        try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
            streams.start();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
                for (String word : List.of("kafka", "lamina", "kafka")) {
                    producer.send(new ProducerRecord<>("words", null, word)).get();
                }
            }
            Map<String, Long> latest = new TreeMap<>();
            Runnable failIfStreamsDied = () -> assertFalse(streams.state().hasStartedOrFinishedShuttingDown(),
                    "Kafka Streams stopped: " + streams.state());
            for (ConsumerRecord<String, Long> record : consume("word-counts", 3, "count-reader",
                    new LongDeserializer(), failIfStreamsDied)) {
                latest.put(record.key(), record.value());
            }
            assertEquals(Map.of("kafka", 2L, "lamina", 1L), latest);
        }
    }

    @Test
    void restartsOnTheSameDataDirectoryWithOverrides(@TempDir Path dataDir) throws Exception {
        Map<String, String> overrides = Map.of("log.retention.ms", "123456789");
        try (EmbeddedKafkaCluster first = EmbeddedKafkaCluster.start(dataDir, overrides)) {
            first.createTopic("kept", 1);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(first))) {
                producer.send(new ProducerRecord<>("kept", "key", "survives a restart")).get();
            }
        }
        assertTrue(Files.exists(dataDir.resolve("meta.properties")), "a caller's directory is kept");

        try (EmbeddedKafkaCluster second = EmbeddedKafkaCluster.start(dataDir, overrides)) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = second.admin().describeConfigs(List.of(broker)).all().get().get(broker);
            assertEquals("123456789", config.get("log.retention.ms").value());
            List<ConsumerRecord<String, String>> records = consume(second, "kept", 1, "restart-reader",
                    new StringDeserializer(), () -> { });
            assertEquals("survives a restart", records.get(0).value());
        }
    }

    private static Properties producerConfig() {
        return producerConfig(kafka);
    }

    private static Properties producerConfig(EmbeddedKafkaCluster kafka) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return config;
    }

    /**
     * Reads committed records from the start of {@code topic} until {@code count} arrived, running
     * {@code check} between polls so that a test can fail fast.
     */
    private static <V> List<ConsumerRecord<String, V>> consume(String topic, int count, String group,
            Deserializer<V> valueDeserializer, Runnable check) {
        return consume(kafka, topic, count, group, valueDeserializer, check);
    }

    private static <V> List<ConsumerRecord<String, V>> consume(EmbeddedKafkaCluster kafka, String topic, int count,
            String group, Deserializer<V> valueDeserializer, Runnable check) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                valueDeserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                check.run();
            }
        }
        assertEquals(count, records.size(), "records read from " + topic);
        return records;
    }
}
