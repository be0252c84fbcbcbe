package dev.lamina.benchmarks.restore;

import dev.lamina.benchmarks.jmh.BenchContext;
import dev.lamina.streams.LaminaStoreConfig;
import dev.lamina.streams.LaminaStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
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
 * store is opened empty and handed the same changelog batches (1,000 records, Kafka's {@code max.poll.records})
 * through the restore callback it registered, as Kafka Streams' restore loop hands them; then the offset is
 * committed and the store closed. Keys are 16 hex characters in random order; values are random bytes.
 *
 * <p>Per store and value size: the median over the rounds of records/s and MB/s (key and value bytes, 10^6 bytes)
 * up to the commit, and up to the close, when both stores have all data in files (Kafka's RocksDB store flushes its
 * memtables only then; Lamina's commit already wrote them). Rounds alternate between the stores.
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am -Prestore-benchmark verify -DskipTests}; system properties {@code records.small}
 * (default 1,000,000), {@code records.large} (12,000) and {@code rounds} (5) adjust it.
 */
public final class RestoreBenchmark {
    private static final TopicPartition CHANGELOG = new TopicPartition("bench-changelog", 0);
    private static final int BATCH = 1000;

    private RestoreBenchmark() {
    }

    /** A store under test: how to make it and the Streams configs it runs with. */
    record Contender(String name, Supplier<KeyValueBytesStoreSupplier> supplier, Map<String, Object> configs) {
    }

    /** One measured restore. */
    record Result(long records, long payloadBytes, long restoreNanos, long commitNanos, long closeNanos,
            long diskBytes) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 5);
        int small = Integer.getInteger("records.small", 1_000_000);
        int large = Integer.getInteger("records.large", 12_000);
        List<Contender> contenders = List.of(
                new Contender("lamina", () -> LaminaStores.persistentKeyValueStore("bench"), Map.of()),
                new Contender("lamina, compression none", () -> LaminaStores.persistentKeyValueStore("bench"),
                        Map.of(LaminaStoreConfig.COMPRESSION_CONFIG, "none")),
                new Contender("rocksdb (Kafka's store)", () -> Stores.persistentKeyValueStore("bench"), Map.of()));
        System.out.printf("Restore benchmark: %d rounds, Java %s, %d cores%n", rounds,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        List<String> table = new ArrayList<>();
        for (int[] shape : new int[][] {{100, small}, {16 * 1024, large}}) {
            int valueBytes = shape[0];
            String size = valueBytes >= 1024 ? (valueBytes / 1024) + " KiB" : valueBytes + " B";
            List<List<ConsumerRecord<byte[], byte[]>>> batches = changelog(shape[1], valueBytes);
            List<List<Result>> results = new ArrayList<>();
            for (Contender c : contenders) {
                measure(c, batches.subList(0, Math.min(50, batches.size()))); // warm-up
                results.add(new ArrayList<>());
            }
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < contenders.size(); i++) {
                    Result r = measure(contenders.get(i), batches);
                    results.get(i).add(r);
                    System.out.printf("round %d %-26s %6s: %,d records: restore %.2f s, commit %.2f s, close %.2f s;"
                                    + " %.1f MB on disk%n", round, contenders.get(i).name(), size, r.records(),
                            r.restoreNanos() / 1e9, (r.commitNanos() - r.restoreNanos()) / 1e9,
                            (r.closeNanos() - r.commitNanos()) / 1e9, r.diskBytes() / 1e6);
                }
            }
            for (int i = 0; i < contenders.size(); i++) {
                List<Result> rs = results.get(i);
                Result any = rs.get(0);
                long toCommit = median(rs, Result::commitNanos);
                long toClose = median(rs, Result::closeNanos);
                table.add(String.format("| %s | %s | %,d | %,.0f | %.1f | %,.0f | %.1f | %.1f MB |", size,
                        contenders.get(i).name(), any.records(), any.records() / (toCommit / 1e9),
                        any.payloadBytes() / 1e6 / (toCommit / 1e9), any.records() / (toClose / 1e9),
                        any.payloadBytes() / 1e6 / (toClose / 1e9), any.diskBytes() / 1e6));
            }
        }
        System.out.println();
        System.out.println("| value | store | records | records/s to commit | MB/s to commit | records/s to close"
                + " | MB/s to close | on disk |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    private static long median(List<Result> results, ToLongFunction<Result> f) {
        long[] values = results.stream().mapToLong(f).sorted().toArray();
        return values[values.length / 2];
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
            byte[] key = String.format("%016x", mix(i)).getBytes(StandardCharsets.US_ASCII);
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

    static Result measure(Contender contender, List<List<ConsumerRecord<byte[], byte[]>>> batches)
            throws IOException {
        Path dir = Files.createTempDirectory("restore-bench");
        BenchContext context = new BenchContext(dir.toFile(), contender.configs());
        KeyValueStore<Bytes, byte[]> store = contender.supplier().get().get();
        try {
            store.init(context, store);
            RecordBatchingStateRestoreCallback callback = (RecordBatchingStateRestoreCallback) context.restoreCallback();
            long records = 0;
            long payload = 0;
            for (List<ConsumerRecord<byte[], byte[]>> batch : batches) {
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    payload += r.key().length + r.value().length;
                }
            }
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
            long disk = size(dir);
            verifyLast(contender, dir, batches);
            return new Result(records, payload, restored, committed, closed, disk);
        } finally {
            store.close();
            context.close();
            deleteRecursively(dir);
        }
    }

    /** Reopens the store and reads back the last record restored, so a broken restore cannot look fast. */
    private static void verifyLast(Contender contender, Path dir, List<List<ConsumerRecord<byte[], byte[]>>> batches) {
        List<ConsumerRecord<byte[], byte[]>> lastBatch = batches.get(batches.size() - 1);
        ConsumerRecord<byte[], byte[]> last = lastBatch.get(lastBatch.size() - 1);
        BenchContext context = new BenchContext(dir.toFile(), contender.configs());
        KeyValueStore<Bytes, byte[]> store = contender.supplier().get().get();
        try {
            store.init(context, store);
            if (!Arrays.equals(last.value(), store.get(Bytes.wrap(last.key())))) {
                throw new IllegalStateException(contender.name() + " lost the last restored record");
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
