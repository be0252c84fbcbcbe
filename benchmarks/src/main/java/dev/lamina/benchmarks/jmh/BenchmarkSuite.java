package dev.lamina.benchmarks.jmh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the store-level JMH suite and writes {@code <out>/<name>.csv}, {@code .md} (the table with ratios) and
 * {@code .png} (the ratio chart).
 *
 * <p>System properties: {@code bench.mode} {@code full} (default: 1 fork, 2 × 1 s warm-up, 3 × 1 s measurement)
 * or {@code quick} (1 fork, 1 × 0.5 s warm-up, 1 × 0.5 s measurement, SMOKE data set);
 * {@code bench.datasets} (default {@code HOT}), {@code bench.values} (default {@code 100,1024,16384}),
 * {@code bench.stores} (default all four), {@code bench.ops} (a regex on the method names, default all),
 * {@code bench.out} (default {@code docs/benchmarks}), {@code bench.name} (default {@code jmh-<datasets>}),
 * {@code bench.iterations} (measurement iterations, default 3 in full mode), {@code bench.warmups} (warm-up
 * iterations, default 2 in full mode),
 * {@code bench.prof} (a JMH profiler, for example {@code jfr}; none by default), {@code bench.jvm} (more options
 * for the forked JVM, for example a profiling agent, {@code -Dlamina.background.threads=3}, or
 * {@code -Dbench.lamina=lamina.write.buffer.bytes=64MiB} to run Lamina with other Streams configs: {@link StoreKind}).
 */
public final class BenchmarkSuite {
    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = "quick".equals(System.getProperty("bench.mode", "full"));
        String datasets = System.getProperty("bench.datasets", quick ? "SMOKE" : "HOT");
        ChainedOptionsBuilder options = options(quick ? 0.5 : 1, quick ? 1 : Integer.getInteger("bench.warmups", 2),
                quick ? 0.5 : 1,
                quick ? 1 : Integer.getInteger("bench.iterations", 3))
                .forks(1)
                .jvmArgs("-Xms4g", "-Xmx4g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        String jvm = System.getProperty("bench.jvm", "");
        if (!jvm.isBlank()) {
            options.jvmArgsAppend(jvm.trim().split("\\s+"));
        }
        String profiler = System.getProperty("bench.prof", "");
        if (!profiler.isBlank()) {
            options.addProfiler(profiler);
        }
        String name = System.getProperty("bench.name", "jmh-" + datasets.toLowerCase().replace(',', '-'));
        Path out = Path.of(System.getProperty("bench.out", "docs/benchmarks"));
        List<Row> rows = run(options, datasets);
        Report.write(rows, out, name);
        System.out.println(Report.table(rows));
        System.out.println("Written: " + out.resolve(name) + ".{csv,md,png}");
    }

    /** Options for the suite's benchmarks: warm-up and measurement iterations of the given seconds. */
    static ChainedOptionsBuilder options(double warmupSeconds, int warmups, double measureSeconds, int measures) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(KeyValueStoreBenchmark.class.getName() + "\\." + System.getProperty("bench.ops", ".*"))
                .warmupIterations(warmups)
                .warmupTime(TimeValue.milliseconds((long) (warmupSeconds * 1000)))
                .measurementIterations(measures)
                .measurementTime(TimeValue.milliseconds((long) (measureSeconds * 1000)))
                .shouldFailOnError(true);
        b.param("valueSize", System.getProperty("bench.values", "100,1024,16384").split(","));
        b.param("store", System.getProperty("bench.stores", "LAMINA,ROCKSDB,ROCKSDB_BOUNDED,IN_MEMORY").split(","));
        return b;
    }

    static List<Row> run(ChainedOptionsBuilder options, String datasets) throws Exception {
        options.param("dataset", datasets.split(","));
        List<Row> rows = new ArrayList<>();
        for (RunResult r : new Runner(options.build()).run()) {
            rows.add(Row.of(r));
        }
        return rows;
    }
}
