package dev.lamina.benchmarks.amplification;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One store's overwrite run as {@link OverwriteChild} reported it (raw counters), and the measures derived from
 * them: write amplification, space amplification, memory, throughput.
 */
record RunResult(String label, long liveTarget, Map<String, String> raw) {
    /** Raw counters copied into the CSV, in order. */
    static final List<String> RAW = List.of("keys", "rounds", "loadSeconds", "overwriteSeconds", "closeSeconds",
            "all.writeBytes", "all.cancelledWriteBytes", "all.wchar", "all.readBytes", "all.rchar",
            "overwrite.writeBytes", "overwrite.cancelledWriteBytes", "overwrite.wchar", "overwrite.readBytes",
            "dirBytesOpen", "dirBytesClosed", "heapBaseline", "heapOpen", "heapCommittedOpen", "directOpen",
            "rssBaseline", "rssOpen", "rssAnonOpen", "rssFileOpen", "rssPeak", "rssClosed");

    static RunResult read(String label, long liveTarget, Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        Map<String, String> m = new java.util.LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return new RunResult(label, liveTarget, m);
    }

    /** The rows of a CSV file {@link #csv()} wrote. */
    static List<RunResult> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> header = List.of(lines.get(0).split(","));
        List<RunResult> results = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, String> m = new java.util.LinkedHashMap<>();
            m.put("store", cells[header.indexOf("store")]);
            m.put("valueSize", cells[header.indexOf("valueSize")]);
            RAW.forEach(k -> m.put(k, header.contains(k) ? cells[header.indexOf(k)] : "-1"));
            results.add(new RunResult(cells[0], Long.parseLong(cells[header.indexOf("liveTarget")]), m));
        }
        return results;
    }

    String store() {
        return raw.get("store");
    }

    int valueSize() {
        return Integer.parseInt(raw.get("valueSize"));
    }

    long keys() {
        return Long.parseLong(raw.get("keys"));
    }

    int rounds() {
        return Integer.parseInt(raw.get("rounds"));
    }

    double num(String key) {
        return Double.parseDouble(raw.get(key));
    }

    /** Key and value bytes of the live data: one version of every key. */
    long liveBytes() {
        return keys() * (OverwriteChild.KEY_BYTES + valueSize());
    }

    /** Key and value bytes given to {@code put} over the whole run (the load and every overwrite round). */
    long userBytes() {
        return liveBytes() * (1 + rounds());
    }

    /** Bytes the process dirtied for the device ({@code write_bytes}) over the run, per user byte. */
    double writeAmp() {
        return num("all.writeBytes") / userBytes();
    }

    /** The same, less the dirtied bytes of files deleted or truncated before they were written back. */
    double writeAmpNet() {
        return (num("all.writeBytes") - num("all.cancelledWriteBytes")) / userBytes();
    }

    /** Bytes passed to write system calls ({@code wchar}), per user byte. */
    double writeAmpSyscall() {
        return num("all.wchar") / userBytes();
    }

    /** Write amplification of the overwrite rounds and the close only (after the load). */
    double writeAmpOverwrite() {
        return num("overwrite.writeBytes") / (liveBytes() * (double) rounds());
    }

    /** Bytes the process read from the device over the run, per user byte written. */
    double readAmp() {
        return num("all.readBytes") / userBytes();
    }

    /** Heap after GC with the store open at the end, less the same before the store was opened. */
    double storeHeap() {
        return num("heapOpen") - num("heapBaseline");
    }

    double spaceAmpOpen() {
        return num("dirBytesOpen") / liveBytes();
    }

    double spaceAmpClosed() {
        return num("dirBytesClosed") / liveBytes();
    }

    double overwritePutsPerSecond() {
        return keys() * (double) rounds() / num("overwriteSeconds");
    }

    double loadPutsPerSecond() {
        return keys() / num("loadSeconds");
    }

    static String csvHeader() {
        return "run,store,valueSize,liveTarget,liveBytes,userBytes,writeAmp,writeAmpNet,writeAmpSyscall,"
                + "writeAmpOverwrite,readAmp,spaceAmpOpen,spaceAmpClosed,overwritePutsPerSec,loadPutsPerSec,"
                + String.join(",", RAW);
    }

    String csv() {
        List<String> cells = new ArrayList<>(List.of(label, store(), Integer.toString(valueSize()),
                Long.toString(liveTarget), Long.toString(liveBytes()), Long.toString(userBytes()),
                f(writeAmp()), f(writeAmpNet()), f(writeAmpSyscall()), f(writeAmpOverwrite()), f(readAmp()),
                f(spaceAmpOpen()), f(spaceAmpClosed()), f(overwritePutsPerSecond()), f(loadPutsPerSecond())));
        RAW.forEach(k -> cells.add(raw.getOrDefault(k, "")));
        return String.join(",", cells);
    }

    private static String f(double d) {
        return String.format(java.util.Locale.ROOT, "%.4f", d);
    }
}
