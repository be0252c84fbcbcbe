package dev.lamina.benchmarks.commit;

import dev.lamina.benchmarks.Directories;
import dev.lamina.benchmarks.jmh.BenchContext;
import dev.lamina.benchmarks.jmh.StoreKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What frequent commits cost a store under a steady write load: puts of random keys at full speed for a fixed time,
 * with a commit every 100 ms (exactly-once's default) against every 30 s (at-least-once's), on Lamina and Kafka's
 * RocksDB store in the same JVM, each initialised as Kafka initialises a store. Values of 100 B (over 2 M keys) and
 * 16 KiB (over 24 K keys), each a fresh array as a serializer hands it over. Prints a Markdown table of puts/s.
 *
 * <p>System properties: {@code commit.seconds} per case (default 20), {@code commit.rounds} (default 2; the order
 * of the cases rotates), {@code commit.stores} (default {@code LAMINA,ROCKSDB}), {@code commit.out}.
 */
public final class CommitIntervalRun {
    private static final TopicPartition CHANGELOG = new TopicPartition("commit-changelog", 0);
    private static final long[] INTERVALS_MS = {100, 30_000};
    private static final int[] VALUE_SIZES = {100, 16 << 10};

    record Result(StoreKind store, int valueSize, long intervalMs, int round, long puts, long commits, long nanos) {
        double putsPerSecond() {
            return puts / (nanos / 1e9);
        }
    }

    private CommitIntervalRun() {
    }

    public static void main(String[] args) throws IOException {
        long seconds = Long.getLong("commit.seconds", 20);
        int rounds = Integer.getInteger("commit.rounds", 2);
        StoreKind[] stores = Arrays.stream(System.getProperty("commit.stores", "LAMINA,ROCKSDB").split(","))
                .map(String::trim).map(StoreKind::valueOf).toArray(StoreKind[]::new);
        List<Result> results = run(stores, rounds, seconds * 1_000_000_000L, Files.createTempDirectory("commit"));
        String table = table(results, stores);
        System.out.print(table);
        Path out = Path.of(System.getProperty("commit.out", "docs/benchmarks"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("commit-interval.md"), table);
    }

    static List<Result> run(StoreKind[] stores, int rounds, long nanosPerCase, Path work) throws IOException {
        List<Result> results = new ArrayList<>();
        List<Object[]> cases = new ArrayList<>();
        for (StoreKind store : stores) {
            for (int size : VALUE_SIZES) {
                for (long interval : INTERVALS_MS) {
                    cases.add(new Object[] {store, size, interval});
                }
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < cases.size(); i++) {
                Object[] c = cases.get((i + round * 3) % cases.size());
                Path dir = work.resolve("case-" + round + "-" + i);
                results.add(runCase((StoreKind) c[0], (Integer) c[1], (Long) c[2], round, nanosPerCase, dir));
                Directories.deleteRecursively(dir);
            }
        }
        Directories.deleteRecursively(work);
        return results;
    }

    private static Result runCase(StoreKind kind, int valueSize, long intervalMs, int round, long nanos, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        BenchContext context = new BenchContext(dir.toFile(), kind.configs());
        KeyValueStore<Bytes, byte[]> store = kind.supplier().get();
        store.init(context, store);
        int keySpace = valueSize >= 1024 ? 24_000 : 2_000_000;
        Random random = new Random(round);
        long puts = 0;
        long commits = 0;
        long start = System.nanoTime();
        long nextCommit = start + intervalMs * 1_000_000;
        long end = start + nanos;
        try {
            while (true) {
                for (int i = 0; i < 256; i++) {
                    byte[] key = ByteBuffer.allocate(8).putLong(random.nextInt(keySpace)).array();
                    byte[] value = new byte[valueSize];
                    random.nextBytes(value);
                    store.put(Bytes.wrap(key), value);
                    puts++;
                }
                long now = System.nanoTime();
                if (now >= nextCommit) {
                    store.commit(Map.of(CHANGELOG, puts));
                    commits++;
                    nextCommit = now + intervalMs * 1_000_000;
                }
                if (now >= end) {
                    break;
                }
            }
            long elapsed = System.nanoTime() - start;
            Result r = new Result(kind, valueSize, intervalMs, round, puts, commits, elapsed);
            System.out.printf("round %d %-8s %6d B every %6d ms: %,.0f puts/s (%d commits)%n", round, kind, valueSize,
                    intervalMs, r.putsPerSecond(), commits);
            return r;
        } finally {
            store.close();
            context.close();
        }
    }

    static String table(List<Result> results, StoreKind[] stores) {
        StringBuilder sb = new StringBuilder("| store | value | puts/s, commit every 100 ms | puts/s, every 30 s |"
                + " 100 ms / 30 s |\n|---|---|---|---|---|\n");
        for (StoreKind store : stores) {
            for (int size : VALUE_SIZES) {
                double fast = median(results, store, size, 100);
                double slow = median(results, store, size, 30_000);
                sb.append(String.format("| %s | %s | %,.0f | %,.0f | %.2f |%n", store, size >= 1024 ? size / 1024
                        + " KiB" : size + " B", fast, slow, fast / slow));
            }
        }
        sb.append("\nputs/s of random keys at full speed for the same time per case, median over the rounds.\n");
        return sb.toString();
    }

    static double median(List<Result> results, StoreKind store, int size, long interval) {
        double[] v = results.stream().filter(r -> r.store() == store && r.valueSize() == size
                && r.intervalMs() == interval).mapToDouble(Result::putsPerSecond).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
