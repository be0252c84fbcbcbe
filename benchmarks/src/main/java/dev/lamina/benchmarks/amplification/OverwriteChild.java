package dev.lamina.benchmarks.amplification;

import dev.lamina.benchmarks.Directories;
import dev.lamina.benchmarks.jmh.BenchContext;
import dev.lamina.benchmarks.jmh.StoreKind;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One store's overwrite-heavy run, in a JVM of its own (started by {@link OverwriteComparison}), so that the
 * process counters it reads belong to this store alone.
 *
 * <p>The store is opened through Kafka Streams' {@code KeyValueStore<Bytes, byte[]>} interface and initialised as
 * Kafka initialises a store ({@link BenchContext}). Then: load {@code keys} keys once in random order, overwrite
 * every key {@code rounds} times (each round a new random order), with a {@code commit} every 10,000 puts as Kafka
 * Streams' commit does, then close. Keys are 8 bytes, spread over the key space by a bijective mix of their index;
 * every value is a fresh copy of a random window of a 64 MiB random buffer (incompressible, and never the same array
 * twice, since a store may keep the array it is given).
 *
 * <p>Measured: {@code /proc/self/io} at the start, after the load and after the close; the state directory's bytes
 * at the end of the overwrites (after the last commit, store open) and after the close; heap after GC, committed
 * heap, direct buffers and resident set at the start and at the end of the overwrites (the resident set and committed
 * heap before that GC); the peak resident set
 * ({@code VmHWM}) after the close; the time of each phase. Results go to a properties file.
 *
 * <p>Arguments: {@code store valueSize keys rounds stateDir resultFile}.
 */
public final class OverwriteChild {
    static final int COMMIT_INTERVAL = 10_000;
    static final int KEY_BYTES = 8;
    private static final TopicPartition CHANGELOG = new TopicPartition("amp-changelog", 0);
    private static final int RANDOM_BUFFER = 64 << 20;

    private final StoreKind kind;
    private final int valueSize;
    private final int keys;
    private final int rounds;
    private final Path stateDir;
    private final SplittableRandom random = new SplittableRandom(42);
    private final byte[] randomBytes;
    private final Map<String, Object> out = new LinkedHashMap<>();
    private long puts;

    private OverwriteChild(StoreKind kind, int valueSize, int keys, int rounds, Path stateDir) {
        this.kind = kind;
        this.valueSize = valueSize;
        this.keys = keys;
        this.rounds = rounds;
        this.stateDir = stateDir;
        this.randomBytes = new byte[Math.max(RANDOM_BUFFER, 2 * valueSize)];
        new SplittableRandom(7).nextBytes(randomBytes);
    }

    public static void main(String[] args) throws IOException {
        OverwriteChild child = new OverwriteChild(StoreKind.valueOf(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
        Map<String, Object> result = child.run();
        try (Writer w = Files.newBufferedWriter(Path.of(args[5]))) {
            for (Map.Entry<String, Object> e : result.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        }
        System.exit(0); // RocksDB's and Kafka's threads must not keep the child alive
    }

    private Map<String, Object> run() throws IOException {
        out.put("store", kind.name());
        out.put("valueSize", valueSize);
        out.put("keys", keys);
        out.put("rounds", rounds);
        Files.createDirectories(stateDir);
        out.put("heapBaseline", ProcStats.heapAfterGc());
        out.put("rssBaseline", ProcStats.Rss.read().current());

        ProcStats.Io start = ProcStats.Io.read();
        long t0 = System.nanoTime();
        BenchContext context = new BenchContext(stateDir.toFile(), kind.configs());
        KeyValueStore<Bytes, byte[]> store = kind.supplier().get();
        store.init(context, store);
        putAll(store, 1);
        long t1 = System.nanoTime();
        ProcStats.Io loaded = ProcStats.Io.read();
        putAll(store, rounds);
        store.commit(Map.of(CHANGELOG, puts));
        long t2 = System.nanoTime();

        // Resident set and committed heap as the run left them, before a GC shrinks the heap (G1 gives the memory
        // back to the OS concurrently, so a reading just after System.gc() would be neither one nor the other).
        ProcStats.Rss rss = ProcStats.Rss.read();
        out.put("rssOpen", rss.current());
        out.put("rssAnonOpen", rss.anon());
        out.put("rssFileOpen", rss.file());
        out.put("heapCommittedOpen", ProcStats.heapCommitted());
        out.put("directOpen", ProcStats.directBytes());
        out.put("dirBytesOpen", Directories.bytes(stateDir));
        out.put("heapOpen", ProcStats.heapAfterGc());
        long t3 = System.nanoTime();
        store.close();
        context.close();
        long t4 = System.nanoTime();
        ProcStats.Io closed = ProcStats.Io.read();
        out.put("dirBytesClosed", Directories.bytes(stateDir));
        out.put("rssPeak", ProcStats.Rss.read().peak());
        out.put("rssClosed", ProcStats.Rss.read().current());

        out.put("loadSeconds", (t1 - t0) / 1e9);
        out.put("overwriteSeconds", (t2 - t1) / 1e9);
        out.put("closeSeconds", (t4 - t3) / 1e9);
        io("all", closed.minus(start));
        io("overwrite", closed.minus(loaded));
        return out;
    }

    private void io(String phase, ProcStats.Io d) {
        out.put(phase + ".writeBytes", d.writeBytes());
        out.put(phase + ".cancelledWriteBytes", d.cancelledWriteBytes());
        out.put(phase + ".wchar", d.wchar());
        out.put(phase + ".readBytes", d.readBytes());
        out.put(phase + ".rchar", d.rchar());
    }

    /** Puts every key {@code times} times, each time in a new random order, committing every 10,000 puts. */
    private void putAll(KeyValueStore<Bytes, byte[]> store, int times) {
        int[] order = new int[keys];
        for (int i = 0; i < keys; i++) {
            order[i] = i;
        }
        for (int t = 0; t < times; t++) {
            for (int i = keys - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int x = order[i];
                order[i] = order[j];
                order[j] = x;
            }
            for (int i = 0; i < keys; i++) {
                store.put(Bytes.wrap(key(order[i])), value());
                if (++puts % COMMIT_INTERVAL == 0) {
                    store.commit(Map.of(CHANGELOG, puts));
                }
            }
        }
    }

    private byte[] value() {
        int from = random.nextInt(randomBytes.length - valueSize + 1);
        return Arrays.copyOfRange(randomBytes, from, from + valueSize);
    }

    /** An 8-byte key: index {@code i} through a bijective 64-bit mix, so keys are distinct and spread evenly. */
    static byte[] key(long i) {
        long z = i * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        byte[] k = new byte[KEY_BYTES];
        for (int b = 0; b < KEY_BYTES; b++) {
            k[b] = (byte) (z >>> (56 - 8 * b));
        }
        return k;
    }
}
