package dev.lamina.examples.bench;

import dev.lamina.streams.LaminaStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Restore throughput of a Lamina store against Kafka's own RocksDB store, in the same JVM and the same run: each
 * store is opened empty and handed the same changelog batches (1,000 records, Kafka's {@code max.poll.records}),
 * through the restore callback it registered, exactly as Kafka Streams' restore loop hands them; then the offset is
 * committed and the store closed. Keys are 16 hex characters in random order; values are random bytes.
 *
 * <p>Reported per store: records/s and MB/s (key+value bytes, 10^6) up to the commit, and up to the close (when
 * both stores have their data in files). Rounds alternate between the stores; the best round is reported.
 *
 * <p>Run: {@code mvn -B -q -Prestore-benchmark verify -DskipTests} (system properties {@code records.small},
 * {@code records.large}, {@code rounds} adjust it).
 */
public final class RestoreBenchmark {
    private static final TopicPartition CHANGELOG = new TopicPartition("bench-changelog", 0);
    private static final int BATCH = 1000;

    private RestoreBenchmark() {
    }

    /** One measured restore. */
    record Result(String store, int valueBytes, long records, long payloadBytes, long restoreNanos,
            long commitNanos, long closeNanos, long diskBytes) {
        double recordsPerSecond(long nanos) {
            return records / (nanos / 1e9);
        }

        double megabytesPerSecond(long nanos) {
            return payloadBytes / 1e6 / (nanos / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 3);
        long small = Long.getLong("records.small", 1_000_000);
        long large = Long.getLong("records.large", 12_000);
        System.out.printf("Restore benchmark: %d rounds, JVM %s, %d cores%n", rounds,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        List<Result> best = new ArrayList<>();
        for (int[] shape : new int[][] {{100, (int) small}, {16 * 1024, (int) large}}) {
            int valueBytes = shape[0];
            List<List<ConsumerRecord<byte[], byte[]>>> batches = changelog(shape[1], valueBytes);
            measure("warm-up lamina", LaminaStores.persistentKeyValueStore("bench"), batches.subList(0, Math.min(50, batches.size())),
                    valueBytes);
            measure("warm-up rocksdb", Stores.persistentKeyValueStore("bench"), batches.subList(0, Math.min(50, batches.size())),
                    valueBytes);
            Result bestLamina = null;
            Result bestRocks = null;
            for (int round = 0; round < rounds; round++) {
                Result l = measure("lamina", LaminaStores.persistentKeyValueStore("bench"), batches, valueBytes);
                Result r = measure("rocksdb", Stores.persistentKeyValueStore("bench"), batches, valueBytes);
                print(round, l);
                print(round, r);
                bestLamina = bestLamina == null || l.commitNanos() < bestLamina.commitNanos() ? l : bestLamina;
                bestRocks = bestRocks == null || r.commitNanos() < bestRocks.commitNanos() ? r : bestRocks;
            }
            best.add(bestLamina);
            best.add(bestRocks);
        }
        System.out.println();
        System.out.println("| value | store | records | records/s to commit | MB/s to commit | records/s to close"
                + " | MB/s to close | on disk |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Result r : best) {
            System.out.printf("| %s | %s | %,d | %,.0f | %.1f | %,.0f | %.1f | %.1f MB |%n",
                    r.valueBytes() >= 1024 ? (r.valueBytes() / 1024) + " KiB" : r.valueBytes() + " B", r.store(),
                    r.records(), r.recordsPerSecond(r.commitNanos()), r.megabytesPerSecond(r.commitNanos()),
                    r.recordsPerSecond(r.closeNanos()), r.megabytesPerSecond(r.closeNanos()), r.diskBytes() / 1e6);
        }
    }

    private static void print(int round, Result r) {
        System.out.printf("round %d %-8s %6s values: %,d records in %.2f s restore + %.2f s commit + %.2f s close"
                        + " = %,.0f records/s, %.1f MB/s to commit; %.1f MB on disk%n", round, r.store(),
                r.valueBytes() + "B", r.records(), r.restoreNanos() / 1e9,
                (r.commitNanos() - r.restoreNanos()) / 1e9, (r.closeNanos() - r.commitNanos()) / 1e9,
                r.recordsPerSecond(r.commitNanos()), r.megabytesPerSecond(r.commitNanos()), r.diskBytes() / 1e6);
    }

    /** Changelog batches: unique keys in random order, values of random bytes (a pool of 256 distinct arrays). */
    static List<List<ConsumerRecord<byte[], byte[]>>> changelog(int records, int valueBytes) {
        Random random = new Random(valueBytes);
        byte[][] values = new byte[256][];
        for (int i = 0; i < values.length; i++) {
            values[i] = new byte[valueBytes];
            random.nextBytes(values[i]);
        }
        List<List<ConsumerRecord<byte[], byte[]>>> batches = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < records; i++) {
            byte[] key = String.format("%016x", mix(i)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            batch.add(new ConsumerRecord<>(CHANGELOG.topic(), 0, i, key, values[random.nextInt(values.length)]));
            if (batch.size() == BATCH) {
                batches.add(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }

    static Result measure(String name, KeyValueBytesStoreSupplier supplier,
            List<List<ConsumerRecord<byte[], byte[]>>> batches, int valueBytes) throws IOException {
        Path dir = Files.createTempDirectory("restore-bench-" + name.replace(' ', '-'));
        StandaloneStoreContext context = new StandaloneStoreContext(dir.toFile());
        KeyValueStore<Bytes, byte[]> store = supplier.get();
        try {
            store.init(context, store);
            RecordBatchingStateRestoreCallback callback = (RecordBatchingStateRestoreCallback) context.restoreCallback();
            long records = 0;
            long payload = 0;
            System.gc();
            long start = System.nanoTime();
            for (List<ConsumerRecord<byte[], byte[]>> batch : batches) {
                callback.restoreBatch(batch);
                records += batch.size();
            }
            long restored = System.nanoTime() - start;
            store.commit(Map.of(CHANGELOG, records - 1));
            long committed = System.nanoTime() - start;
            store.close();
            long closed = System.nanoTime() - start;
            for (List<ConsumerRecord<byte[], byte[]>> batch : batches) {
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    payload += r.key().length + r.value().length;
                }
            }
            verifyOne(supplier, dir, batches);
            return new Result(name, valueBytes, records, payload, restored, committed, closed, size(dir));
        } finally {
            store.close();
            context.close();
            deleteRecursively(dir);
        }
    }

    /** Reopens the store and reads back the last record restored, so a broken restore cannot look fast. */
    private static void verifyOne(KeyValueBytesStoreSupplier supplier, Path dir,
            List<List<ConsumerRecord<byte[], byte[]>>> batches) {
        List<ConsumerRecord<byte[], byte[]>> lastBatch = batches.get(batches.size() - 1);
        ConsumerRecord<byte[], byte[]> last = lastBatch.get(lastBatch.size() - 1);
        StandaloneStoreContext context = new StandaloneStoreContext(dir.toFile());
        KeyValueStore<Bytes, byte[]> store = supplier.get();
        try {
            store.init(context, store);
            if (!Arrays.equals(last.value(), store.get(Bytes.wrap(last.key())))) {
                throw new IllegalStateException(supplier + " lost the last restored record");
            }
        } finally {
            store.close();
            context.close();
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
