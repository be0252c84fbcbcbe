package dev.lamina.benchmarks.topology;

import dev.lamina.benchmarks.Aggregates;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The two topologies of the run, their input topics and how the input is produced. Every topic has one partition,
 * so the single stream thread runs one task with one store.
 */
enum Workload {
    /**
     * {@code groupByKey().aggregate(...)}: each key's aggregate is the last {@code aggregateBytes} of the fragments
     * seen for it, so once a key has had a few updates every store write is a value of {@code aggregateBytes}. The
     * output topic gets the aggregate's length (the store, not the output, should carry the large values).
     */
    AGGREGATE(List.of("agg-input"), "agg-output"),
    /**
     * {@code stream.leftJoin(table)}: a KTable of {@code docBytes} documents keyed by id (all produced first, then
     * one update per {@code docUpdateEvery} events, interleaved by timestamp) and a stream of events joined to it.
     * The output is the event followed by the first 256 bytes of its document. A left join, so that an event read
     * before its document still produces its output record; the run counts the events that found their document.
     */
    JOIN(List.of("join-docs", "join-events"), "join-output");

    private static final int POOL = 64;

    private final List<String> inputTopics;
    private final String outputTopic;

    Workload(List<String> inputTopics, String outputTopic) {
        this.inputTopics = inputTopics;
        this.outputTopic = outputTopic;
    }

    List<String> inputTopics() {
        return inputTopics;
    }

    String outputTopic() {
        return outputTopic;
    }

    /** What a run of a topology counts while it runs. */
    static final class Counters {
        final AtomicLong output = new AtomicLong();
        final AtomicLong joinHits = new AtomicLong();
        volatile long firstOutputNanos;

        void output() {
            if (output.getAndIncrement() == 0) {
                firstOutputNanos = System.nanoTime();
            }
        }
    }

    Topology topology(TopologyStore store, TopologySettings s, Counters counters) {
        StreamsBuilder builder = new StreamsBuilder();
        if (this == AGGREGATE) {
            int cap = s.aggregateBytes();
            builder.stream(inputTopics.get(0), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                    .groupByKey()
                    .aggregate(() -> new byte[0],
                            (key, fragment, aggregate) -> Aggregates.keepLast(aggregate, fragment, cap),
                            Materialized.<String, byte[]>as(
                                    store.supplier("agg-store"))
                                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray())
                                    .withCachingDisabled())
                    .toStream()
                    .mapValues(aggregate -> aggregate.length)
                    .peek((k, v) -> counters.output())
                    .to(outputTopic, Produced.with(Serdes.String(), Serdes.Integer()));
        } else {
            KTable<String, byte[]> docs = builder.table(inputTopics.get(0),
                    Consumed.with(Serdes.String(), Serdes.ByteArray()),
                    Materialized.<String, byte[]>as(store.supplier("docs-store"))
                            .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray())
                            .withCachingDisabled());
            builder.stream(inputTopics.get(1), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                    .leftJoin(docs, (event, doc) -> enrich(event, doc, counters))
                    .peek((k, v) -> counters.output())
                    .to(outputTopic, Produced.with(Serdes.String(), Serdes.ByteArray()));
        }
        return builder.build();
    }


    private static byte[] enrich(byte[] event, byte[] doc, Counters counters) {
        if (doc == null) {
            return event;
        }
        counters.joinHits.incrementAndGet();
        int head = Math.min(256, doc.length);
        byte[] out = Arrays.copyOf(event, event.length + head);
        System.arraycopy(doc, 0, out, event.length, head);
        return out;
    }

    static String key(int id) {
        return String.format("id-%08d", id);
    }

    /**
     * Produces this workload's input; the same seed gives the same keys and values on every call. Timestamps count
     * up by one millisecond per record from {@code baseTimestamp} (the time of production, so that no retention or
     * grace period sees old records).
     */
    void produce(Producer<String, byte[]> producer, TopologySettings s, long baseTimestamp) {
        Random random = new Random(ordinal() + 1);
        if (this == AGGREGATE) {
            Pool fragments = new Pool(random, s.fragmentBytes());
            for (int i = 0; i < s.aggRecords(); i++) {
                producer.send(new ProducerRecord<>(inputTopics.get(0), null, baseTimestamp + i,
                        key(random.nextInt(s.aggKeys())), fragments.value(i)));
            }
        } else {
            Pool docs = new Pool(random, s.docBytes());
            Pool events = new Pool(random, s.eventBytes());
            long ts = baseTimestamp;
            for (int d = 0; d < s.docs(); d++) {
                producer.send(new ProducerRecord<>(inputTopics.get(0), null, ts++, key(d), docs.value(d)));
            }
            for (int e = 0; e < s.events(); e++) {
                if (s.docUpdateEvery() > 0 && e % s.docUpdateEvery() == 0) {
                    producer.send(new ProducerRecord<>(inputTopics.get(0), null, ts++,
                            key(random.nextInt(s.docs())), docs.value(s.docs() + e)));
                }
                producer.send(new ProducerRecord<>(inputTopics.get(1), null, ts++, key(random.nextInt(s.docs())),
                        events.value(e)));
            }
        }
        producer.flush();
    }

    /** Random, incompressible values: a few random arrays, each copy stamped with its sequence number. */
    private static final class Pool {
        private final byte[][] arrays = new byte[POOL][];

        Pool(Random random, int bytes) {
            for (int i = 0; i < POOL; i++) {
                arrays[i] = new byte[bytes];
                random.nextBytes(arrays[i]);
            }
        }

        byte[] value(long seq) {
            byte[] v = arrays[(int) (seq % POOL)].clone();
            if (v.length >= Long.BYTES) {
                ByteBuffer.wrap(v).putLong(seq);
            }
            return v;
        }
    }
}
