package dev.lamina.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;

/** Writes JMH results as CSV, a Markdown table with Lamina's ratios, and a PNG chart of those ratios. */
final class Report {
    private Report() {
    }

    static void write(List<Row> rows, Path outDir, String name) throws IOException {
        Files.createDirectories(outDir);
        List<String> csv = new ArrayList<>();
        csv.add(Row.csvHeader());
        rows.forEach(r -> csv.add(r.csv()));
        Files.write(outDir.resolve(name + ".csv"), csv);
        Files.writeString(outDir.resolve(name + ".md"), table(rows));
        chart(rows, outDir.resolve(name + ".png"), name);
    }

    /** Rows grouped by case, each case keyed by store. */
    static Map<String, Map<String, Row>> byCase(List<Row> rows) {
        Map<String, Map<String, Row>> cases = new LinkedHashMap<>();
        for (Row r : rows) {
            cases.computeIfAbsent(r.caseKey(), k -> new LinkedHashMap<>()).put(r.store(), r);
        }
        return cases;
    }

    static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| data set | op | value | Lamina | RocksDB (Kafka defaults) | RocksDB (bounded) | in-memory"
                + " | Lamina / RocksDB | Lamina / RocksDB bounded | Lamina / in-memory |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Row> c : byCase(rows).values()) {
            Row any = c.values().iterator().next();
            sb.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", any.dataset(),
                    any.op(), any.valueLabel(), cell(c.get("LAMINA")), cell(c.get("ROCKSDB")),
                    cell(c.get("ROCKSDB_BOUNDED")), cell(c.get("IN_MEMORY")),
                    ratio(c, "ROCKSDB"), ratio(c, "ROCKSDB_BOUNDED"), ratio(c, "IN_MEMORY")));
        }
        return sb.toString();
    }

    private static String cell(Row r) {
        if (r == null) {
            return "–";
        }
        String f = r.score() < 100 ? "%,.2f" : "%,.0f"; // full scans/s are small numbers
        return Double.isNaN(r.error()) ? String.format(f, r.score())
                : String.format(f + " ± " + f, r.score(), r.error());
    }

    static double ratioValue(Map<String, Row> c, String other) {
        Row lamina = c.get("LAMINA");
        Row o = c.get(other);
        return lamina == null || o == null || o.score() == 0 ? Double.NaN : lamina.score() / o.score();
    }

    private static String ratio(Map<String, Row> c, String other) {
        double r = ratioValue(c, other);
        return Double.isNaN(r) ? "–" : String.format("%.2f×", r);
    }

    /** Lamina's throughput as a multiple of each other store's, per case (log scale; 1 = as fast). */
    private static void chart(List<Row> rows, Path png, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, Map<String, Row>> cases = byCase(rows);
        List<String> labels = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String other : List.of("ROCKSDB", "ROCKSDB_BOUNDED", "IN_MEMORY")) {
            series.put(other, new ArrayList<>());
        }
        for (Map<String, Row> c : cases.values()) {
            Row any = c.values().iterator().next();
            labels.add(any.op() + " " + any.valueLabel() + " " + any.dataset().toLowerCase());
            series.forEach((other, ys) -> {
                double r = ratioValue(c, other);
                ys.add(Double.isNaN(r) || r <= 0 ? 1e-3 : r);
            });
        }
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 40 * labels.size())).height(600)
                .title("Lamina throughput / other store (" + title + "; > 1 = Lamina faster)")
                .xAxisTitle("operation, value size, data set").yAxisTitle("ratio (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        // Markers, not bars: XChart's bars start at 0, which a logarithmic axis cannot show.
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(10);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        series.forEach((other, ys) -> chart.addSeries("Lamina / " + other.toLowerCase().replace('_', ' '),
                labels, ys));
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
