package dev.lamina.benchmarks.topology;

import dev.lamina.benchmarks.topology.TopologyRun.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** Writes a topology run as CSV (every run), a Markdown table (medians and Lamina's ratios) and a PNG chart. */
final class TopologyReport {
    private TopologyReport() {
    }

    static void write(List<Result> results, TopologySettings s) throws IOException {
        Files.createDirectories(s.out());
        List<String> csv = new ArrayList<>();
        csv.add("workload,store,round,input_records,seconds,records_per_s,first_output_s,join_hits,state_dir_bytes,"
                + "complete");
        for (Result r : results) {
            csv.add(String.format("%s,%s,%d,%d,%.3f,%.1f,%.3f,%d,%d,%b", r.workload(), r.store(), r.round(),
                    r.inputRecords(), r.nanos() / 1e9, r.recordsPerSecond(), r.startupNanos() / 1e9, r.joinHits(),
                    r.stateDirBytes(), r.complete()));
        }
        Files.write(s.out().resolve(s.name() + ".csv"), csv);
        Files.writeString(s.out().resolve(s.name() + ".md"), table(results));
        chart(results, s.out().resolve(s.name() + ".png"));
    }

    /** The median of a measure over the rounds of one workload and store; NaN when there are none. */
    static double median(List<Result> results, Workload w, TopologyStore store, ToDoubleFunction<Result> f) {
        double[] v = results.stream().filter(r -> r.workload() == w && r.store() == store).mapToDouble(f)
                .sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double ratio(List<Result> results, Workload w, TopologyStore other) {
        return median(results, w, TopologyStore.LAMINA, Result::recordsPerSecond)
                / median(results, w, other, Result::recordsPerSecond);
    }

    static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| topology | input records | rounds | Lamina | RocksDB (Kafka defaults) | RocksDB (bounded)"
                + " | Lamina / RocksDB | Lamina / RocksDB bounded | state dir MB: Lamina / RocksDB / bounded |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Workload w : Workload.values()) {
            List<Result> rs = results.stream().filter(r -> r.workload() == w).toList();
            if (rs.isEmpty()) {
                continue;
            }
            sb.append(String.format("| %s | %,d | %d | %s | %s | %s | %s | %s | %s / %s / %s |%n", w,
                    rs.get(0).inputRecords(), rs.stream().mapToInt(Result::round).max().orElse(0) + 1,
                    rate(results, w, TopologyStore.LAMINA), rate(results, w, TopologyStore.ROCKSDB),
                    rate(results, w, TopologyStore.ROCKSDB_BOUNDED), times(ratio(results, w, TopologyStore.ROCKSDB)),
                    times(ratio(results, w, TopologyStore.ROCKSDB_BOUNDED)), mb(results, w, TopologyStore.LAMINA),
                    mb(results, w, TopologyStore.ROCKSDB), mb(results, w, TopologyStore.ROCKSDB_BOUNDED)));
        }
        sb.append("\nrecords/s: median over the rounds (each round's figure in the CSV); min–max in brackets. A run"
                + " stopped at the time limit counts the input it got through.\n");
        return sb.toString();
    }

    private static String rate(List<Result> results, Workload w, TopologyStore store) {
        double[] v = results.stream().filter(r -> r.workload() == w && r.store() == store)
                .mapToDouble(Result::recordsPerSecond).sorted().toArray();
        if (v.length == 0) {
            return "–";
        }
        long partial = results.stream().filter(r -> r.workload() == w && r.store() == store && !r.complete())
                .count();
        return String.format("%,.0f [%,.0f–%,.0f]%s", median(results, w, store, Result::recordsPerSecond), v[0],
                v[v.length - 1], partial == 0 ? "" : " (" + partial + " of " + v.length + " at the time limit)");
    }

    private static String times(double r) {
        return Double.isNaN(r) ? "–" : String.format("%.2f×", r);
    }

    private static String mb(List<Result> results, Workload w, TopologyStore store) {
        double v = median(results, w, store, Result::stateDirBytes);
        return Double.isNaN(v) ? "–" : String.format("%.0f", v / 1e6);
    }

    /** Median records/s per topology, one bar per store kind. */
    private static void chart(List<Result> results, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Workload> workloads = Arrays.stream(Workload.values())
                .filter(w -> results.stream().anyMatch(r -> r.workload() == w)).toList();
        List<String> labels = workloads.stream().map(w -> w.name().toLowerCase()).toList();
        CategoryChart chart = new CategoryChartBuilder().width(800).height(500)
                .title("Kafka Streams topology throughput (median of rounds; higher is better)")
                .xAxisTitle("topology").yAxisTitle("input records/s").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        for (TopologyStore store : TopologyStore.values()) {
            List<Double> ys = workloads.stream().map(w -> {
                double m = median(results, w, store, Result::recordsPerSecond);
                return Double.isNaN(m) ? 0.0 : m;
            }).toList();
            chart.addSeries(store.label(), labels, ys);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
