package dev.lamina.benchmarks.amplification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes the overwrite runs as CSV (every raw counter), a Markdown table per value size with Lamina's ratios, and a
 * PNG per value size: four charts (write amplification, space amplification, peak resident set, overwrite
 * throughput) against the live data size.
 */
final class AmplificationReport {
    private static final double MIB = 1 << 20;
    private static final String[] OTHERS = {"ROCKSDB", "ROCKSDB_BOUNDED"};

    private AmplificationReport() {
    }

    static void write(List<RunResult> results, Path outDir, String name) throws IOException {
        Files.createDirectories(outDir);
        List<String> csv = new ArrayList<>();
        csv.add(RunResult.csvHeader());
        results.forEach(r -> csv.add(r.csv()));
        Files.write(outDir.resolve(name + ".csv"), csv);
        Files.writeString(outDir.resolve(name + ".md"), table(results));
        for (Map.Entry<Integer, List<RunResult>> e : byValue(results).entrySet()) {
            chart(e.getValue(), outDir.resolve(name + "-" + valueLabel(e.getKey()).replace(" ", "") + ".png"),
                    valueLabel(e.getKey()) + " values");
        }
    }

    /**
     * Rewrites the report from CSV files this class wrote earlier (for example to merge two runs into one table):
     * arguments {@code outDir name file.csv...}.
     */
    public static void main(String[] args) throws IOException {
        List<RunResult> results = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            results.addAll(RunResult.readCsv(Path.of(args[i])));
        }
        write(results, Path.of(args[0]), args[1]);
    }

    static String valueLabel(int size) {
        return size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    static String table(List<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, List<RunResult>> e : byValue(results).entrySet()) {
            sb.append("#### ").append(valueLabel(e.getKey())).append(" values\n\n");
            sb.append("| live data | store | WA (write_bytes) | WA net of cancelled | WA (wchar) | WA overwrites only"
                    + " | read / written | space, open | space, closed | store heap after GC | heap committed | RSS, open"
                    + " | peak RSS | overwrites/s | load puts/s |\n");
            sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (RunResult r : e.getValue()) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f"
                        + " | %,.0f MiB | %,.0f MiB | %,.0f MiB | %,.0f MiB | %,.0f | %,.0f |%n", r.label(),
                        storeLabel(r.store()), r.writeAmp(), r.writeAmpNet(), r.writeAmpSyscall(),
                        r.writeAmpOverwrite(), r.readAmp(), r.spaceAmpOpen(), r.spaceAmpClosed(), r.storeHeap() / MIB,
                        r.num("heapCommittedOpen") / MIB, r.num("rssOpen") / MIB, r.num("rssPeak") / MIB,
                        r.overwritePutsPerSecond(), r.loadPutsPerSecond()));
            }
            sb.append("\nLamina / RocksDB (Kafka defaults) and Lamina / RocksDB (bounded); below 1 = Lamina lower"
                    + " (better for amplification and memory, worse for throughput):\n\n");
            sb.append("| live data | against | WA | WA overwrites only | space, closed | peak RSS | overwrites/s |\n");
            sb.append("|---|---|---|---|---|---|---|\n");
            for (Map.Entry<String, Map<String, RunResult>> c : bySize(e.getValue()).entrySet()) {
                RunResult lamina = c.getValue().get("LAMINA");
                for (String other : OTHERS) {
                    RunResult o = c.getValue().get(other);
                    if (lamina == null || o == null) {
                        continue;
                    }
                    sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", c.getKey(),
                            storeLabel(other), ratio(lamina, o, RunResult::writeAmp),
                            ratio(lamina, o, RunResult::writeAmpOverwrite),
                            ratio(lamina, o, RunResult::spaceAmpClosed),
                            ratio(lamina, o, r -> r.num("rssPeak")),
                            ratio(lamina, o, RunResult::overwritePutsPerSecond)));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String storeLabel(String store) {
        return switch (store) {
            case "LAMINA" -> "Lamina";
            case "ROCKSDB" -> "RocksDB (Kafka defaults)";
            case "ROCKSDB_BOUNDED" -> "RocksDB (bounded)";
            default -> store;
        };
    }

    private static String ratio(RunResult a, RunResult b, ToDoubleFunction<RunResult> f) {
        double d = f.applyAsDouble(b);
        return d == 0 ? "–" : String.format(Locale.ROOT, "%.2f×", f.applyAsDouble(a) / d);
    }

    private static Map<Integer, List<RunResult>> byValue(List<RunResult> results) {
        Map<Integer, List<RunResult>> m = new LinkedHashMap<>();
        results.forEach(r -> m.computeIfAbsent(r.valueSize(), k -> new ArrayList<>()).add(r));
        return m;
    }

    private static Map<String, Map<String, RunResult>> bySize(List<RunResult> results) {
        Map<String, Map<String, RunResult>> m = new LinkedHashMap<>();
        results.forEach(r -> m.computeIfAbsent(r.label(), k -> new LinkedHashMap<>()).put(r.store(), r));
        return m;
    }

    private static void chart(List<RunResult> results, Path png, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<CategoryChart> charts = List.of(
                chart(results, "Write amplification (write_bytes / user bytes), " + title, "×", RunResult::writeAmp),
                chart(results, "Space amplification after close, " + title, "×", RunResult::spaceAmpClosed),
                chart(results, "Peak resident set (VmHWM), " + title, "MiB", r -> r.num("rssPeak") / MIB),
                chart(results, "Overwrite throughput, " + title, "puts/s", RunResult::overwritePutsPerSecond));
        BitmapEncoder.saveBitmap(charts, 2, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static CategoryChart chart(List<RunResult> results, String title, String unit,
            ToDoubleFunction<RunResult> f) {
        CategoryChart c = new CategoryChartBuilder().width(640).height(440).title(title)
                .xAxisTitle("live data").yAxisTitle(unit).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setYAxisDecimalPattern("#,##0.##");
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(13f));
        Set<String> sizes = new LinkedHashSet<>();
        results.forEach(r -> sizes.add(r.label()));
        Map<String, Map<String, RunResult>> bySize = bySize(results);
        Set<String> stores = new LinkedHashSet<>();
        results.forEach(r -> stores.add(r.store()));
        for (String store : stores) {
            List<String> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (String size : sizes) {
                RunResult r = bySize.get(size).get(store);
                if (r != null) {
                    xs.add(size);
                    ys.add(f.applyAsDouble(r));
                }
            }
            c.addSeries(storeLabel(store), xs, ys);
        }
        return c;
    }
}
