package dev.lamina.examples;

import dev.lamina.kafka.embedded.EmbeddedKafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Runs the Kafka Streams examples end to end: starts a real single-node KRaft Kafka broker in this JVM on
 * 127.0.0.1 (free ports, a temporary directory), creates the topics, produces sample data, runs the word-count and
 * document-enrichment applications on Lamina stores, prints their results and store statistics, restarts them to
 * show they resume from their committed offsets without restoring, rebuilds the document store from its changelog,
 * and shuts everything down.
 *
 * <p>From the repository root: {@code mvn -B -q -Pexample verify -DskipTests}.
 */
public final class KafkaExamples {
    private static final int PARTITIONS = 2;
    private static final int DOCUMENTS = 400;

    private KafkaExamples() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Path stateDir = Files.createTempDirectory("lamina-examples-state");
        step("Starting a single-node KRaft Kafka broker (Kafka 4.3.1) in this JVM");
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start();
                SampleData data = new SampleData(kafka.bootstrapServers(), 42)) {
            say("broker at %s, log directory %s", kafka.bootstrapServers(), kafka.dataDir());
            for (String topic : List.of(WordCountApp.INPUT, WordCountApp.OUTPUT, DocumentEnrichmentApp.DOCUMENTS,
                    DocumentEnrichmentApp.EVENTS, DocumentEnrichmentApp.OUTPUT)) {
                kafka.createTopic(topic, PARTITIONS);
            }
            String servers = kafka.bootstrapServers();

            step("Producing sample data");
            data.sentences(WordCountApp.INPUT, 5_000);
            data.documents(DocumentEnrichmentApp.DOCUMENTS, DOCUMENTS);
            say("5,000 sentences; %,d JSON documents of 4-32 KiB (%s)", DOCUMENTS,
                    StoreStatistics.bytes((double) data.documentBytes));

            step("Running both applications on Lamina stores (exactly-once, state in %s)", stateDir);
            ExampleApp words = ExampleApp.start(WordCountApp.APPLICATION_ID, WordCountApp.topology(), servers,
                    stateDir);
            ExampleApp docs = ExampleApp.start(DocumentEnrichmentApp.APPLICATION_ID,
                    DocumentEnrichmentApp.topology(), servers, stateDir);
            awaitDocuments(docs);
            data.events(DocumentEnrichmentApp.EVENTS, 5_000, DOCUMENTS);
            awaitWordCounts(words, data.expectedCounts);
            awaitEvents(docs, data.events);
            printTopWords(words);
            printEnriched(servers, data.events);
            say("Store statistics:");
            StoreStatistics.print(words.streams());
            StoreStatistics.print(docs.streams());

            step("Stopping both applications, producing more input, restarting on the same state");
            words.stop();
            docs.stop();
            data.sentences(WordCountApp.INPUT, 2_000);
            data.events(DocumentEnrichmentApp.EVENTS, 2_000, DOCUMENTS);
            words = ExampleApp.start(WordCountApp.APPLICATION_ID, WordCountApp.topology(), servers, stateDir);
            docs = ExampleApp.start(DocumentEnrichmentApp.APPLICATION_ID, DocumentEnrichmentApp.topology(), servers,
                    stateDir);
            awaitWordCounts(words, data.expectedCounts);
            awaitEvents(docs, data.events);
            say("resumed from the stores' committed offsets: restored %d records into %s and %d into %s "
                            + "(nothing to replay), then processed only the new input",
                    words.restored(WordCountApp.STORE), WordCountApp.STORE,
                    docs.restored(DocumentEnrichmentApp.DOCUMENT_STORE), DocumentEnrichmentApp.DOCUMENT_STORE);
            printTopWords(words);
            words.stop();
            docs.stop();

            step("Deleting the enrichment application's state and restarting it: Lamina restores from the changelog");
            deleteRecursively(stateDir.resolve(DocumentEnrichmentApp.APPLICATION_ID));
            docs = ExampleApp.start(DocumentEnrichmentApp.APPLICATION_ID, DocumentEnrichmentApp.topology(), servers,
                    stateDir);
            awaitDocuments(docs);
            awaitEvents(docs, data.events);
            long restored = docs.restored(DocumentEnrichmentApp.DOCUMENT_STORE);
            double seconds = docs.restoreNanos(DocumentEnrichmentApp.DOCUMENT_STORE) / 1e9;
            say("restored %,d documents (%s) into %s in %.2f s of restore time, summed over partitions",
                    restored, StoreStatistics.bytes((double) data.documentBytes), DocumentEnrichmentApp.DOCUMENT_STORE,
                    seconds);
            StoreStatistics.print(docs.streams());
            docs.stop();

            step("Shutting down");
        } finally {
            deleteRecursively(stateDir);
        }
        say("the whole example (broker start, both applications, restarts and rebuild) took %.1f s",
                (System.nanoTime() - started) / 1e9);
    }

    private static void awaitDocuments(ExampleApp docs) {
        ReadOnlyKeyValueStore<String, String> store = docs.store(DocumentEnrichmentApp.DOCUMENT_STORE,
                QueryableStoreTypes.keyValueStore());
        docs.await("the documents to load", () -> store.get("doc-" + (DOCUMENTS - 1)) != null
                && store.get("doc-0") != null);
    }

    private static void awaitWordCounts(ExampleApp words, Map<String, Long> expected) {
        ReadOnlyKeyValueStore<String, Long> store = words.store(WordCountApp.STORE,
                QueryableStoreTypes.keyValueStore());
        words.await("the word counts", () -> {
            Map<String, Long> counts = new HashMap<>();
            try (KeyValueIterator<String, Long> it = store.all()) {
                it.forEachRemaining(kv -> counts.put(kv.key, kv.value));
            }
            return counts.equals(expected);
        });
    }

    private static void awaitEvents(ExampleApp docs, long events) {
        ReadOnlyKeyValueStore<String, Long> store = docs.store(DocumentEnrichmentApp.VIEWS_STORE,
                QueryableStoreTypes.keyValueStore());
        docs.await("every event", () -> {
            long total = 0;
            try (KeyValueIterator<String, Long> it = store.all()) {
                while (it.hasNext()) {
                    total += it.next().value;
                }
            }
            return total == events;
        });
    }

    private static void printTopWords(ExampleApp words) {
        ReadOnlyKeyValueStore<String, Long> store = words.store(WordCountApp.STORE,
                QueryableStoreTypes.keyValueStore());
        List<KeyValue<String, Long>> all = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        all.sort(Comparator.comparing((KeyValue<String, Long> kv) -> kv.value).reversed());
        StringBuilder top = new StringBuilder();
        for (KeyValue<String, Long> kv : all.subList(0, Math.min(8, all.size()))) {
            top.append(kv.key).append('=').append(kv.value).append("  ");
        }
        say("top words (interactive query on %s): %s", WordCountApp.STORE, top.toString().trim());
    }

    /** Reads the enrichment output back as a consumer would and shows one record. */
    private static void printEnriched(String servers, long expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "lamina-examples-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long count = 0;
        ConsumerRecord<String, String> sample = null;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(DocumentEnrichmentApp.OUTPUT));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (count < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    sample = sample == null ? r : sample;
                }
            }
        }
        say("%s holds %,d enriched events, e.g. %s -> %s", DocumentEnrichmentApp.OUTPUT, count,
                sample == null ? "-" : sample.key(), sample == null ? "-" : sample.value());
    }

    private static void step(String format, Object... args) {
        System.out.println();
        System.out.println("== " + String.format(format, args));
    }

    private static void say(String format, Object... args) {
        System.out.println("   " + String.format(format, args));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
