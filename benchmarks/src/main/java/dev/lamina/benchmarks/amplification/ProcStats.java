package dev.lamina.benchmarks.amplification;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What this process has done to the machine, read from Linux's {@code /proc/self}: the I/O counters of
 * {@code /proc/self/io} (summed over every thread of the process, live or ended, so RocksDB's native background
 * threads count as well as Java's) and the resident set of {@code /proc/self/status}; plus the heap after a full
 * GC, direct buffers, and the bytes of a directory tree.
 */
final class ProcStats {
    private ProcStats() {
    }

    /** One reading of {@code /proc/self/io}. */
    record Io(long rchar, long wchar, long readBytes, long writeBytes, long cancelledWriteBytes) {
        static Io read() {
            Map<String, Long> m = fields(Path.of("/proc/self/io"), "");
            return new Io(m.getOrDefault("rchar", -1L), m.getOrDefault("wchar", -1L),
                    m.getOrDefault("read_bytes", -1L), m.getOrDefault("write_bytes", -1L),
                    m.getOrDefault("cancelled_write_bytes", -1L));
        }

        Io minus(Io earlier) {
            return new Io(rchar - earlier.rchar, wchar - earlier.wchar, readBytes - earlier.readBytes,
                    writeBytes - earlier.writeBytes, cancelledWriteBytes - earlier.cancelledWriteBytes);
        }
    }

    /**
     * The resident set now ({@code VmRSS}), its peak so far ({@code VmHWM}), and the current one split into
     * anonymous memory ({@code RssAnon}: heap, native allocations) and file pages mapped by the process
     * ({@code RssFile}: the JVM's and native libraries' code, memory-mapped files), in bytes.
     */
    record Rss(long current, long peak, long anon, long file) {
        static Rss read() {
            Map<String, Long> m = fields(Path.of("/proc/self/status"), "kB");
            return new Rss(m.getOrDefault("VmRSS", -1L) * 1024, m.getOrDefault("VmHWM", -1L) * 1024,
                    m.getOrDefault("RssAnon", -1L) * 1024, m.getOrDefault("RssFile", -1L) * 1024);
        }
    }

    /** Heap in use after a full collection (two {@code System.gc()} calls, as the JVM may not finish in one). */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Committed heap: what the JVM has taken from the OS for the heap (part of the resident set once touched). */
    static long heapCommitted() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    /** Bytes held by the JVM's direct buffer pool (NIO direct buffers; not native RocksDB memory). */
    static long directBytes() {
        List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
        return pools.stream().filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }



    /** Whether this kernel exposes per-process I/O accounting. */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/io")) && Files.isReadable(Path.of("/proc/self/status"));
    }

    private static Map<String, Long> fields(Path file, String unit) {
        Map<String, Long> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String value = line.substring(colon + 1).trim();
                if (!unit.isEmpty()) {
                    if (!value.endsWith(unit)) {
                        continue;
                    }
                    value = value.substring(0, value.length() - unit.length()).trim();
                }
                try {
                    m.put(line.substring(0, colon).trim(), Long.parseLong(value));
                } catch (NumberFormatException ignored) {
                    // not a numeric field
                }
            }
        } catch (IOException e) {
            // not Linux: every field reads as -1
        }
        return m;
    }
}
