package dev.lamina.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Redraws a JMH report (CSV, Markdown table, PNG chart) from one or more CSVs written by {@link Report}, for example
 * to join the results of a run that stopped half-way with a second run of the benchmarks it missed. Rows later in
 * the input replace earlier rows of the same store and case.
 *
 * <p>Usage: {@code ReportFromCsv <outDir> <name> <csv>...}
 */
public final class ReportFromCsv {
    private ReportFromCsv() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: ReportFromCsv <outDir> <name> <csv>...");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            List<String> lines = Files.readAllLines(Path.of(args[i]));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                Row row = new Row(f[0], f[1], Integer.parseInt(f[2]), f[3], Double.parseDouble(f[4]),
                        Double.parseDouble(f[5]), f[6]);
                rows.removeIf(r -> r.caseKey().equals(row.caseKey()) && r.store().equals(row.store()));
                rows.add(row);
            }
        }
        Report.write(rows, Path.of(args[0]), args[1]);
    }
}
