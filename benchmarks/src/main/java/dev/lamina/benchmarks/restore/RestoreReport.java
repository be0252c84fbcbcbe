package dev.lamina.benchmarks.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Writes the restore run's results: every run as CSV, medians as Markdown tables, median restore times as a PNG. */
public final class RestoreReport {
    private RestoreReport() {
    }

    /**
     * Rewrites the Markdown table and the chart from a run's CSV: {@code java -cp ... RestoreReport <csv>}, e.g. after
     * a change to the report's layout.
     */
    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args[0]);
        List<RunResult> results = Files.readAllLines(csv).stream().skip(1).filter(l -> !l.isBlank())
                .map(RunResult::parse).toList();
        String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
        Path dir = csv.toAbsolutePath().getParent();
        Files.writeString(dir.resolve(name + ".md"), markdown(results));
        chart(results, dir.resolve(name + ".png"));
    }

    static void write(List<RunResult> results, Settings settings) throws IOException {
        Path out = settings.out();
        Files.createDirectories(out);
        List<String> csv = new ArrayList<>();
        csv.add(RunResult.csvHeader());
        results.forEach(r -> csv.add(r.csv()));
        Files.write(out.resolve(settings.name() + ".csv"), csv);
        Files.writeString(out.resolve(settings.name() + ".md"), markdown(results));
        chart(results, out.resolve(settings.name() + ".png"));
    }

    /** The runs of each case (part, guarantee, value size), each case's runs grouped by store. */
    static Map<String, Map<StoreChoice, List<RunResult>>> cases(List<RunResult> results) {
        return results.stream().collect(Collectors.groupingBy(RestoreReport::caseLabel, LinkedHashMap::new,
                Collectors.groupingBy(RunResult::store, LinkedHashMap::new, Collectors.toList())));
    }

    static String caseLabel(RunResult r) {
        return r.part().equals("empty") ? "from empty, " + r.valueLabel() : "kill -9, " + r.guarantee();
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String markdown(List<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        Map<String, Map<StoreChoice, List<RunResult>>> cases = cases(results);
        if (results.stream().anyMatch(r -> r.part().equals("empty"))) {
            sb.append("Restore from an empty state directory (medians; ratios: Lamina's records/s over the other"
                    + " store's, > 1 = Lamina faster):\n\n");
            sb.append("| value | records | store | restore s | records/s | MB/s | JVM start to task ready s"
                    + " | state dir MB | Lamina / this store |\n|---|---|---|---|---|---|---|---|---|\n");
            cases.forEach((label, byStore) -> {
                if (label.startsWith("from empty")) {
                    byStore.forEach((store, runs) -> sb.append(emptyRow(runs, byStore.get(StoreChoice.LAMINA))));
                }
            });
        }
        if (results.stream().anyMatch(r -> r.part().equals("kill"))) {
            sb.append("\nRestart after kill -9 (medians over the rounds; the last two columns count rounds):\n\n");
            sb.append("| guarantee | store | killed after s | processed | input committed | reprocessed"
                    + " | changelog end | store's offset | restored | restore s | JVM start to task ready s"
                    + " | restored: this store / Lamina | full restores | task corrupted |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            cases.forEach((label, byStore) -> {
                if (label.startsWith("kill")) {
                    byStore.forEach((store, runs) -> sb.append(killRow(runs, byStore.get(StoreChoice.LAMINA))));
                }
            });
        }
        return sb.toString();
    }

    private static double recordsPerSecond(RunResult r) {
        return r.restoreMillis() <= 0 ? 0 : r.restored() / (r.restoreMillis() / 1e3);
    }

    private static String emptyRow(List<RunResult> runs, List<RunResult> lamina) {
        RunResult any = runs.get(0);
        double seconds = median(runs, r -> r.restoreMillis() / 1e3);
        double rate = median(runs, RestoreReport::recordsPerSecond);
        double mbps = rate * (8 + any.valueSize()) / 1e6;
        String ratio = lamina == null || rate == 0 ? "–"
                : String.format("%.2f×", median(lamina, RestoreReport::recordsPerSecond) / rate);
        return String.format("| %s | %,d | %s | %.2f | %,.0f | %.1f | %.2f | %.1f | %s |%n", any.valueLabel(),
                any.processed(), any.store().label(), seconds, rate, mbps,
                median(runs, r -> r.readyMillis() / 1e3), median(runs, r -> r.stateDirBytes() / 1e6), ratio);
    }

    private static String killRow(List<RunResult> runs, List<RunResult> lamina) {
        RunResult any = runs.get(0);
        double restored = median(runs, RunResult::restored);
        String ratio = lamina == null ? "–" : ratio(restored, median(lamina, RunResult::restored));
        return String.format("| %s | %s | %.1f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %.2f | %.2f | %s"
                        + " | %d of %d | %d of %d |%n", any.guarantee(), any.store().label(),
                median(runs, RunResult::killSeconds), median(runs, RunResult::processed),
                median(runs, RunResult::inputCommitted), median(runs, RunResult::reprocessed),
                median(runs, RunResult::changelogEnd), median(runs, RunResult::restoreFrom), restored,
                median(runs, r -> r.restoreMillis() / 1e3), median(runs, r -> r.readyMillis() / 1e3), ratio,
                runs.stream().filter(RunResult::fullRestore).count(), runs.size(),
                runs.stream().filter(RunResult::corrupted).count(), runs.size());
    }

    private static String ratio(double x, double y) {
        return y == 0 ? (x == 0 ? "1.00×" : "–") : String.format("%.2f×", x / y);
    }

    /** Median restore time per case and store, as grouped bars. */
    private static void chart(List<RunResult> results, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, Map<StoreChoice, List<RunResult>>> cases = cases(results);
        List<String> labels = new ArrayList<>(cases.keySet());
        List<StoreChoice> stores = results.stream().map(RunResult::store).distinct().sorted().toList();
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(600)
                .title("Restore time on restart (median; lower is better)")
                .xAxisTitle("case").yAxisTitle("restore time, s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setOverlapped(false);
        for (StoreChoice store : stores) {
            List<Double> ys = new ArrayList<>();
            for (String label : labels) {
                List<RunResult> runs = cases.get(label).get(store);
                ys.add(runs == null ? 0.0 : median(runs, r -> r.restoreMillis() / 1e3));
            }
            chart.addSeries(store.label(), labels, ys);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
