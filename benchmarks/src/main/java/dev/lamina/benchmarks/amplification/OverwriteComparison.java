package dev.lamina.benchmarks.amplification;

import dev.lamina.benchmarks.Directories;
import dev.lamina.benchmarks.jmh.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole overwrite-heavy runs of Lamina's and Kafka's RocksDB key-value stores, for write amplification, space
 * amplification, memory and throughput, at several live data sizes (scaling).
 *
 * <p>For every value size, live data size and store, a child JVM ({@link OverwriteChild}, same class path, a fixed
 * {@code -Xmx}) loads the live data through {@code KeyValueStore<Bytes, byte[]>} and overwrites every key
 * {@code rounds} times in random order with a commit every 10,000 puts, then closes the store. One store per
 * process, so the process's I/O counters and resident set are that store's. Stores: {@code LAMINA}
 * ({@code LaminaStores.persistentKeyValueStore}, defaults), {@code ROCKSDB} ({@code Stores.persistentKeyValueStore},
 * Kafka's defaults) and {@code ROCKSDB_BOUNDED} (the same with {@code BoundedMemoryRocksDBConfig}).
 *
 * <p>Run (see {@code benchmarks/README.md}):
 * <pre>
 * flock /tmp/lamina-mvn.lock mvn -B -o -pl benchmarks -am -Pamplification verify -DskipTests \
 *     -Dbench.sizes=100MB,1GB,4GB -Dbench.values=1024,16384 -Dbench.rounds=3
 * </pre>
 * System properties: {@code bench.sizes} (live bytes per run; units KB/MB/GB are powers of 1000, KiB/MiB/GiB of
 * 1024), {@code bench.values}, {@code bench.rounds}, {@code bench.stores}, {@code bench.xmx} (child heap, default
 * 2g), {@code bench.name} (output file name), {@code bench.out} (output directory), {@code bench.dir} (where state
 * directories are made; must be a disk, not tmpfs, for the device counters to mean anything), {@code bench.lamina}
 * (Streams configs for Lamina's store, passed to its child: {@link StoreKind#configs()}).
 */
public final class OverwriteComparison {
    private OverwriteComparison() {
    }

    /** What to run. */
    record Plan(List<Long> sizes, List<Integer> values, int rounds, List<StoreKind> stores, String xmx,
            Path stateRoot) {
        static Plan fromSystemProperties() {
            return new Plan(
                    Arrays.stream(prop("bench.sizes", "100MB,500MB,2GB").split(",")).map(s -> parseSize(s.trim()))
                            .toList(),
                    Arrays.stream(prop("bench.values", "1024,16384").split(",")).map(s -> Integer.valueOf(s.trim()))
                            .toList(),
                    Integer.parseInt(prop("bench.rounds", "3")),
                    Arrays.stream(prop("bench.stores", "LAMINA,ROCKSDB,ROCKSDB_BOUNDED").split(","))
                            .map(s -> StoreKind.valueOf(s.trim())).toList(),
                    prop("bench.xmx", "2g"),
                    Path.of(prop("bench.dir", System.getProperty("java.io.tmpdir"))));
        }
    }

    public static void main(String[] args) throws Exception {
        if (!ProcStats.available()) {
            throw new IllegalStateException("needs Linux /proc/self/io and /proc/self/status");
        }
        Plan plan = Plan.fromSystemProperties();
        Path out = Path.of(prop("bench.out", "docs/benchmarks"));
        String name = prop("bench.name", "amplification");
        List<RunResult> results = run(plan, r -> {
            System.out.println(summary(r));
        }, rs -> AmplificationReport.write(rs, out, name));
        System.out.println();
        System.out.println(AmplificationReport.table(results));
    }

    /** A callback that may throw. */
    interface Sink<T> {
        void accept(T t) throws IOException;
    }

    /**
     * Runs the plan, one child JVM per case; {@code each} sees each result as it arrives and {@code soFar} every
     * result so far (for writing partial reports during a long run).
     */
    static List<RunResult> run(Plan plan, Sink<RunResult> each, Sink<List<RunResult>> soFar)
            throws IOException, InterruptedException {
        List<RunResult> results = new ArrayList<>();
        for (int valueSize : plan.values()) {
            for (long size : plan.sizes()) {
                for (StoreKind kind : plan.stores()) {
                    RunResult r = runChild(plan, kind, valueSize, size);
                    results.add(r);
                    each.accept(r);
                    soFar.accept(results);
                }
            }
        }
        return results;
    }

    private static RunResult runChild(Plan plan, StoreKind kind, int valueSize, long liveTarget)
            throws IOException, InterruptedException {
        long keys = Math.max(1, liveTarget / (OverwriteChild.KEY_BYTES + valueSize));
        if (keys > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many keys: " + keys);
        }
        Files.createDirectories(plan.stateRoot());
        Path stateDir = Files.createTempDirectory(plan.stateRoot(), "lamina-amp-");
        Path resultFile = Files.createTempFile(plan.stateRoot(), "lamina-amp-", ".properties");
        try {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + plan.xmx(), "-Djava.awt.headless=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-D" + StoreKind.LAMINA_CONFIGS_PROPERTY + "=" + prop(StoreKind.LAMINA_CONFIGS_PROPERTY, ""),
                    "-cp", System.getProperty("java.class.path"), OverwriteChild.class.getName(), kind.name(),
                    Integer.toString(valueSize), Long.toString(keys), Integer.toString(plan.rounds()),
                    stateDir.toString(), resultFile.toString());
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(kind + " child exited with " + exit);
            }
            return RunResult.read(sizeLabel(liveTarget), liveTarget, resultFile);
        } finally {
            Directories.deleteRecursively(stateDir);
            Files.deleteIfExists(resultFile);
        }
    }

    static String summary(RunResult r) {
        return String.format(Locale.ROOT, "%-15s %6s values, %8s live: WA %.2f (net %.2f, syscalls %.2f),"
                + " space %.2f open / %.2f closed, store heap %.0f MiB, peak RSS %.0f MiB, %,.0f overwrites/s",
                r.store(), AmplificationReport.valueLabel(r.valueSize()), r.label(), r.writeAmp(), r.writeAmpNet(),
                r.writeAmpSyscall(), r.spaceAmpOpen(), r.spaceAmpClosed(), r.storeHeap() / (1 << 20),
                r.num("rssPeak") / (1 << 20), r.overwritePutsPerSecond());
    }

    /** "100MB" = 100,000,000 bytes, "64MiB" = 64 × 2^20; a bare number is bytes. */
    static long parseSize(String s) {
        String u = s.toUpperCase(Locale.ROOT);
        long[] mult = {1_000L, 1_000_000L, 1_000_000_000L, 1L << 10, 1L << 20, 1L << 30};
        String[] suffix = {"KB", "MB", "GB", "KIB", "MIB", "GIB"};
        for (int i = suffix.length - 1; i >= 0; i--) {
            if (u.endsWith(suffix[i])) {
                return Math.round(Double.parseDouble(u.substring(0, u.length() - suffix[i].length())) * mult[i]);
            }
        }
        return Long.parseLong(u);
    }

    /** "100 MB", "2 GB", "512 KiB": the label of a live data size. */
    static String sizeLabel(long bytes) {
        if (bytes % (1L << 20) == 0 && bytes % 1_000_000 != 0) {
            return bytes % (1L << 30) == 0 ? bytes / (1L << 30) + " GiB" : bytes / (1L << 20) + " MiB";
        }
        if (bytes >= 1_000_000_000L && bytes % 100_000_000L == 0) {
            return new java.math.BigDecimal(bytes).movePointLeft(9).stripTrailingZeros().toPlainString() + " GB";
        }
        if (bytes >= 1_000_000L && bytes % 1_000_000L == 0) {
            return bytes / 1_000_000L + " MB";
        }
        return bytes + " B";
    }

    private static String prop(String name, String dflt) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? dflt : v;
    }

}
