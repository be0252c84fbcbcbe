package dev.lamina.benchmarks.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.internals.StateRestoreCallbackAdapter;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Store-level operations through Kafka Streams' {@code KeyValueStore<Bytes, byte[]>} interface, for Lamina and for
 * Kafka's own stores, each initialised as Kafka initialises a store ({@link BenchContext}).
 *
 * <p>Data set: {@code dataset} bytes of live key and value bytes ({@link DataSet}); keys are 8-byte big-endian
 * even numbers {@code 0, 2, ..., 2(n-1)}, loaded in random order through the restore callback in batches of 1,000,
 * then committed and (for persistent stores) the store is closed and reopened, so reads start from files. Odd
 * numbers are misses; a range from key {@code 2i} to {@code 2(i+99)} holds exactly 100 entries. Values are random
 * (incompressible) bytes from a pool of 64.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KeyValueStoreBenchmark {
    static final TopicPartition CHANGELOG = new TopicPartition("bench-changelog", 0);
    static final int BATCH = 1000;
    static final int COMMIT_INTERVAL = 10_000;
    static final int RANGE = 100;

    @Param({"LAMINA", "ROCKSDB", "ROCKSDB_BOUNDED", "IN_MEMORY"})
    public StoreKind store;

    @Param({"100", "1024", "16384"})
    public int valueSize;

    @Param({"HOT", "COLD"})
    public DataSet dataset;

    private Path dir;
    private BenchContext context;
    private KeyValueStore<Bytes, byte[]> kv;
    private RecordBatchingStateRestoreCallback restore;
    private byte[][] values;
    private int records;
    private long puts;
    private final SplittableRandom random = new SplittableRandom(7);
    private final List<List<ConsumerRecord<byte[], byte[]>>> restoreBatches = new ArrayList<>();
    private int nextBatch;

    @Setup
    public void setUp() throws IOException {
        records = dataset.records(valueSize);
        values = new byte[64][valueSize];
        SplittableRandom valueRandom = new SplittableRandom(valueSize);
        for (byte[] v : values) {
            valueRandom.nextBytes(v);
        }
        dir = Files.createTempDirectory("lamina-jmh");
        open();
        load();
        kv.commit(Map.of(CHANGELOG, (long) records));
        if (store.persistent()) {
            close();
            open();
        }
        for (int b = 0; b < 16; b++) {
            restoreBatches.add(randomBatch());
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One put of an existing key (an overwrite); every 10,000th put is followed by a commit, as Streams commits. */
    @Benchmark
    public void put() {
        kv.put(key(random.nextInt(records)), values[random.nextInt(values.length)]);
        if (++puts % COMMIT_INTERVAL == 0) {
            kv.commit(Map.of(CHANGELOG, (long) records + puts));
        }
    }

    @Benchmark
    public byte[] getHit() {
        return kv.get(key(random.nextInt(records)));
    }

    @Benchmark
    public byte[] getMiss() {
        return kv.get(Bytes.wrap(encode(2L * random.nextInt(records) + 1)));
    }

    /** A range of 100 consecutive entries from a random key. */
    @Benchmark
    public int range100(Blackhole bh) {
        int first = random.nextInt(Math.max(1, records - RANGE));
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = kv.range(key(first), key(first + RANGE - 1))) {
            while (it.hasNext()) {
                bh.consume(it.next());
                n++;
            }
        }
        return n;
    }

    /** A scan of the whole store (reported as scans/s; multiply by the record count for entries/s). */
    @Benchmark
    public int all(Blackhole bh) {
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kvp = it.next();
                bh.consume(kvp);
                n++;
            }
        }
        return n;
    }

    /** One batch of 1,000 changelog records (overwrites of random keys) through the restore callback; records/s. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void restore() {
        restore.restoreBatch(restoreBatches.get(nextBatch++ & 15));
    }

    private void open() {
        context = new BenchContext(dir.toFile(), store.configs());
        kv = store.supplier().get();
        kv.init(context, kv);
        restore = StateRestoreCallbackAdapter.adapt(context.restoreCallback());
    }

    private void close() {
        if (kv != null) {
            kv.close();
            context.close();
            kv = null;
        }
    }

    /** Every key once, in random order, through the restore callback in batches of 1,000. */
    private void load() {
        int[] order = new int[records];
        for (int i = 0; i < records; i++) {
            order[i] = i;
        }
        for (int i = records - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < records; i++) {
            batch.add(new ConsumerRecord<>(CHANGELOG.topic(), 0, i, encode(2L * order[i]), values[i & 63]));
            if (batch.size() == BATCH || i == records - 1) {
                restore.restoreBatch(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> randomBatch() {
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(new ConsumerRecord<>(CHANGELOG.topic(), 0, records + i,
                    encode(2L * random.nextInt(records)), values[random.nextInt(values.length)]));
        }
        return batch;
    }

    private static Bytes key(int index) {
        return Bytes.wrap(encode(2L * index));
    }

    private static byte[] encode(long key) {
        return ByteBuffer.allocate(Long.BYTES).putLong(key).array();
    }
}
