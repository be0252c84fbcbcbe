package dev.lamina.benchmarks.driver;

import dev.lamina.benchmarks.Directories;
import dev.lamina.benchmarks.Aggregates;
import dev.lamina.streams.LaminaStoreConfig;
import dev.lamina.streams.LaminaStores;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Topologies on {@code TopologyTestDriver}, as a user's unit tests run them: the driver commits after every input
 * record, so this measures what a commit costs each store. Three topologies (a count of 100 B records, an
 * aggregation keeping the last 8 KiB per key, a stream-table join with 16 KiB documents), record cache off, each on
 * Lamina at its defaults, Lamina with {@code lamina.commit.sync=always} and Kafka's RocksDB store, in the same JVM;
 * the order rotates each round, each run starts from an empty state directory, and an uncounted warm-up round at a
 * tenth of the size comes first. Prints each run and a Markdown table of the median records/s, and writes the table
 * to {@code <out>/<name>.md}.
 *
 * <p>System properties: {@code driver.mode} ({@code full} or {@code quick}), {@code driver.rounds} (default 3),
 * {@code driver.stores} (names of {@link Store}, comma-separated; default all), {@code driver.out},
 * {@code driver.name} (default {@code driver}).
 */
public final class DriverRun {
    /** The stores compared. */
    enum Store {
        LAMINA("Lamina"),
        LAMINA_ALWAYS("Lamina, commit.sync=always"),
        ROCKSDB("RocksDB (Kafka defaults)");

        final String label;

        Store(String label) {
            this.label = label;
        }

        KeyValueBytesStoreSupplier supplier(String name) {
            return this == ROCKSDB ? Stores.persistentKeyValueStore(name) : LaminaStores.persistentKeyValueStore(name);
        }
    }

    /** The topologies, sized for a full run; a quick run takes a twentieth of the records. */
    enum Shape {
        COUNT("count of 100 B records", 100_000, 10_000),
        AGGREGATE("aggregation keeping 8 KiB per key", 20_000, 2_000),
        JOIN("stream-table join with 16 KiB documents", 20_000, 2_000);

        final String label;
        final int records;
        final int keys;

        Shape(String label, int records, int keys) {
            this.label = label;
            this.records = records;
            this.keys = keys;
        }
    }

    record Result(Shape shape, Store store, int round, int records, long nanos) {
        double recordsPerSecond() {
            return records / (nanos / 1e9);
        }
    }

    private DriverRun() {
    }

    public static void main(String[] args) throws IOException {
        boolean quick = "quick".equals(System.getProperty("driver.mode", "full"));
        int rounds = Integer.getInteger("driver.rounds", quick ? 1 : 3);
        Path out = Path.of(System.getProperty("driver.out", "docs/benchmarks"));
        String name = System.getProperty("driver.name", "driver");
        String only = System.getProperty("driver.stores", "");
        Store[] stores = only.isBlank() ? Store.values()
                : Arrays.stream(only.split(",")).map(String::trim).map(Store::valueOf).toArray(Store[]::new);
        // A warm-up round at a tenth of the size, not counted: the JIT then compiles every store's path before
        // the first measured run, whichever store that is.
        run(quick ? 200 : 10, 1, stores, Files.createTempDirectory("lamina-driver-warmup"));
        List<Result> results = run(quick ? 20 : 1, rounds, stores, Files.createTempDirectory("lamina-driver"));
        String table = table(results);
        System.out.print(table);
        Files.createDirectories(out);
        Files.writeString(out.resolve(name + ".md"), table);
    }

    /** Runs every topology on every store {@code rounds} times, with {@code 1/divisor} of the full input. */
    static List<Result> run(int divisor, int rounds, Store[] stores, Path work) throws IOException {
        List<Result> results = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (Shape shape : Shape.values()) {
                for (int i = 0; i < stores.length; i++) {
                    Store store = stores[(i + round) % stores.length];
                    Path stateDir = work.resolve(shape + "-" + store + "-" + round);
                    long nanos = runOnce(shape, store, shape.records / divisor, Math.max(1, shape.keys / divisor),
                            stateDir);
                    Result r = new Result(shape, store, round, shape.records / divisor, nanos);
                    results.add(r);
                    System.out.printf("round %d %-9s %-27s %,9.0f records/s%n", round, shape, store.label,
                            r.recordsPerSecond());
                    Directories.deleteRecursively(stateDir);
                }
            }
        }
        Directories.deleteRecursively(work);
        return results;
    }

    /** Pipes the input through a new driver and returns the nanoseconds it took, the driver's start and close not. */
    private static long runOnce(Shape shape, Store store, int records, int keys, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "driver-" + shape.name().toLowerCase(Locale.ROOT));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        if (store == Store.LAMINA_ALWAYS) {
            props.put(LaminaStoreConfig.COMMIT_SYNC_CONFIG, "always");
        }
        Random random = new Random(shape.ordinal() + 1);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology(shape, store), props)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic("input", new StringSerializer(),
                    new ByteArraySerializer());
            long start = System.nanoTime();
            if (shape == Shape.JOIN) {
                TestInputTopic<String, byte[]> docs = driver.createInputTopic("docs", new StringSerializer(),
                        new ByteArraySerializer());
                for (int d = 0; d < keys; d++) {
                    docs.pipeInput(key(d), value(random, 16 << 10, d));
                }
                for (int e = 0; e < records - keys; e++) {
                    if (e % 10 == 0) {
                        docs.pipeInput(key(random.nextInt(keys)), value(random, 16 << 10, keys + e));
                    }
                    input.pipeInput(key(random.nextInt(keys)), value(random, 100, e));
                }
            } else {
                int bytes = shape == Shape.COUNT ? 100 : 256;
                for (int r = 0; r < records; r++) {
                    input.pipeInput(key(random.nextInt(keys)), value(random, bytes, r));
                }
            }
            return System.nanoTime() - start;
        }
    }

    private static Topology topology(Shape shape, Store store) {
        StreamsBuilder builder = new StreamsBuilder();
        var input = builder.stream("input", Consumed.with(Serdes.String(), Serdes.ByteArray()));
        switch (shape) {
            case COUNT -> input.groupByKey().count(Materialized.<String, Long>as(store.supplier("counts"))
                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()).withCachingDisabled());
            case AGGREGATE -> input.groupByKey().aggregate(() -> new byte[0], (k, fragment, aggregate) ->
                            Aggregates.keepLast(aggregate, fragment, 8 << 10),
                    Materialized.<String, byte[]>as(store.supplier("aggregates")).withKeySerde(Serdes.String())
                            .withValueSerde(Serdes.ByteArray()).withCachingDisabled());
            case JOIN -> {
                KTable<String, byte[]> docs = builder.table("docs", Consumed.with(Serdes.String(), Serdes.ByteArray()),
                        Materialized.<String, byte[]>as(store.supplier("docs")).withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.ByteArray()).withCachingDisabled());
                input.leftJoin(docs, (event, doc) -> doc == null ? event : Arrays.copyOf(doc, 256))
                        .to("output", Produced.with(Serdes.String(), Serdes.ByteArray()));
            }
            default -> throw new IllegalArgumentException(shape.toString());
        }
        return builder.build();
    }

    private static String key(int id) {
        return String.format("id-%08d", id);
    }

    /** A fresh random value, as a serializer hands one over, stamped with its sequence number. */
    private static byte[] value(Random random, int bytes, long seq) {
        byte[] v = new byte[bytes];
        random.nextBytes(v);
        ByteBuffer.wrap(v).putLong(seq);
        return v;
    }

    static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| topology | input records | rounds |");
        for (Store s : Store.values()) {
            sb.append(' ').append(s.label).append(" |");
        }
        sb.append(" Lamina / RocksDB | Lamina always / RocksDB |\n|---|---|---|---|---|---|---|---|\n");
        for (Shape shape : Shape.values()) {
            List<Result> rs = results.stream().filter(r -> r.shape() == shape).toList();
            if (rs.isEmpty()) {
                continue;
            }
            sb.append(String.format("| %s | %,d | %d |", shape.label, rs.get(0).records(),
                    rs.stream().mapToInt(Result::round).max().orElse(0) + 1));
            for (Store s : Store.values()) {
                sb.append(String.format(" %,.0f |", median(rs, s)));
            }
            sb.append(String.format(" %.2fx | %.2fx |%n", median(rs, Store.LAMINA) / median(rs, Store.ROCKSDB),
                    median(rs, Store.LAMINA_ALWAYS) / median(rs, Store.ROCKSDB)));
        }
        sb.append("\nrecords/s piped through TopologyTestDriver (a commit after every record), median over the"
                + " rounds; record cache off.\n");
        return sb.toString();
    }

    static double median(List<Result> results, Store store) {
        double[] v = results.stream().filter(r -> r.store() == store).mapToDouble(Result::recordsPerSecond).sorted()
                .toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
