package dev.lamina.benchmarks.restore;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the input records: 8-byte keys, random (incompressible) values from a pool of 256 arrays. Either all at
 * once with unique keys ({@link #produceUnique}) or at a steady rate with keys drawn from a key space
 * ({@link #startPaced}).
 */
final class RecordSource implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final byte[][] values;
    private final Random random;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean stopped;
    private Thread pacer;

    RecordSource(String bootstrap, int valueSize, long seed) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.random = new Random(seed);
        this.values = new byte[256][];
        for (int i = 0; i < values.length; i++) {
            values[i] = new byte[valueSize];
            random.nextBytes(values[i]);
        }
    }

    /** Sends {@code records} records with unique keys in a scrambled order and waits until all are written. */
    void produceUnique(String topic, long records) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (long i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(topic, key(mix(i)), values[(int) (i & 255)]), (m, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("could not write the input records", failure.get());
        }
        sent.set(records);
    }

    /**
     * Starts sending {@code perSecond} records a second (in slices every 10 ms) with keys drawn uniformly from
     * {@code keySpace} keys, until {@link #stopPaced()}.
     */
    void startPaced(String topic, int perSecond, int keySpace) {
        pacer = new Thread(() -> {
            long start = System.nanoTime();
            while (!stopped) {
                long due = (System.nanoTime() - start) * perSecond / 1_000_000_000L;
                while (sent.get() < due && !stopped) {
                    producer.send(new ProducerRecord<>(topic, key(random.nextInt(keySpace)),
                            values[random.nextInt(values.length)]));
                    sent.incrementAndGet();
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "paced-producer");
        pacer.setDaemon(true);
        pacer.start();
    }

    /** Stops the paced sending at once (records already handed to the producer are still delivered). */
    void stopPaced() throws InterruptedException {
        stopped = true;
        if (pacer != null) {
            pacer.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** Records handed to the producer so far. */
    long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        producer.close();
    }

    private static byte[] key(long k) {
        return ByteBuffer.allocate(8).putLong(k).array();
    }

    /** A bijection on longs, so that unique indices give unique keys in a scrambled order. */
    private static long mix(long i) {
        long z = i * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }
}
