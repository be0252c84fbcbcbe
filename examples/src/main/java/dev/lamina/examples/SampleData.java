package dev.lamina.examples;

import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces the examples' input: sentences, JSON documents of 4 to 32 KiB, and events about the documents. */
final class SampleData implements AutoCloseable {
    private static final String[] WORDS = ("the log is the database streams tables lamina merges sorted runs into "
            + "levels a write ahead log makes every commit durable kafka replays the changelog after a crash "
            + "values live beside keys compaction keeps reads fast").split(" ");
    private static final String[] AUTHORS = {"ada", "grace", "edsger", "barbara", "leslie", "jim", "frances"};
    private static final String[] ACTIONS = {"view", "edit", "share", "comment", "download"};

    private final KafkaProducer<String, String> producer;
    private final Random random;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    /** The word counts the sentences produced so far should give. */
    final Map<String, Long> expectedCounts = new TreeMap<>();
    long documentBytes;
    long events;

    SampleData(String bootstrapServers, long seed) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20);
        this.producer = new KafkaProducer<>(props);
        this.random = new Random(seed);
    }

    void sentences(String topic, int count) {
        for (int i = 0; i < count; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = 3 + random.nextInt(10); w > 0; w--) {
                String word = WORDS[random.nextInt(WORDS.length)];
                expectedCounts.merge(word, 1L, Long::sum);
                line.append(word).append(w > 1 ? " " : ".");
            }
            send(topic, "line-" + random.nextInt(1000), line.toString());
        }
        flush();
    }

    /** Documents {@code doc-0} to {@code doc-(count-1)}, each a JSON object of 4 to 32 KiB. */
    void documents(String topic, int count) {
        for (int i = 0; i < count; i++) {
            String doc = document(i, 4096 + random.nextInt(28 * 1024));
            documentBytes += doc.length();
            send(topic, "doc-" + i, doc);
        }
        flush();
    }

    private String document(int id, int size) {
        StringBuilder json = new StringBuilder(size + 256);
        json.append("{\"id\":\"doc-").append(id).append("\",\"title\":\"");
        for (int w = 0; w < 4; w++) {
            json.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        json.append("\",\"author\":\"").append(AUTHORS[random.nextInt(AUTHORS.length)])
                .append("\",\"revision\":").append(random.nextInt(50)).append(",\"body\":\"");
        while (json.length() < size) {
            json.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return json.append("\"}").toString();
    }

    /** Events about random documents among the first {@code documents}. */
    void events(String topic, int count, int documents) {
        for (int i = 0; i < count; i++) {
            String event = "{\"user\":\"user-" + random.nextInt(200) + "\",\"action\":\""
                    + ACTIONS[random.nextInt(ACTIONS.length)] + "\",\"seq\":" + (events++) + "}";
            send(topic, "doc-" + random.nextInt(documents), event);
        }
        flush();
    }

    private void send(String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /** Waits for every send; a failed one surfaces here rather than as a missing result later. */
    private void flush() {
        producer.flush();
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("producing sample data failed", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
