package dev.lamina.examples;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/** Prints the Lamina stores' engine statistics, read from Kafka Streams' own metrics (summed over tasks). */
final class StoreStatistics {
    private static final List<String> SHOWN = List.of("estimate-num-keys", "user-bytes-written-total",
            "bytes-written-total", "wal-bytes-written-total", "commits-total", "wal-syncs-total",
            "memtable-flushes-total", "table-files", "total-table-bytes", "block-cache-hit-ratio");

    private StoreStatistics() {
    }

    static void print(KafkaStreams streams) {
        Map<String, Map<String, Double>> byStore = new TreeMap<>();
        Map<String, Integer> tasks = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            String store = e.getKey().tags().get("lamina-state-id");
            String name = e.getKey().name();
            if (store == null || !(e.getValue().metricValue() instanceof Number n)) {
                continue;
            }
            if (name.equals("commits-total")) {
                tasks.merge(store, 1, Integer::sum);
            }
            if (SHOWN.contains(name)) {
                byStore.computeIfAbsent(store, s -> new TreeMap<>()).merge(name, n.doubleValue(),
                        name.endsWith("ratio") ? Math::max : Double::sum);
            }
        }
        for (Map.Entry<String, Map<String, Double>> store : byStore.entrySet()) {
            Map<String, Double> m = store.getValue();
            System.out.printf("    %-22s %d task(s): ~%,.0f keys, %s written by the application, %s to disk "
                            + "(%s log), %,.0f commits with %,.0f fsyncs, %,.0f flushes, %,.0f tables (%s), "
                            + "block cache hit ratio %.2f%n",
                    store.getKey(), tasks.getOrDefault(store.getKey(), 0), m.getOrDefault("estimate-num-keys", 0.0),
                    bytes(m.get("user-bytes-written-total")), bytes(m.get("bytes-written-total")),
                    bytes(m.get("wal-bytes-written-total")), m.getOrDefault("commits-total", 0.0),
                    m.getOrDefault("wal-syncs-total", 0.0), m.getOrDefault("memtable-flushes-total", 0.0),
                    m.getOrDefault("table-files", 0.0), bytes(m.get("total-table-bytes")),
                    m.getOrDefault("block-cache-hit-ratio", 0.0));
        }
    }

    static String bytes(Double value) {
        double v = value == null ? 0 : value;
        if (v >= 1 << 20) {
            return String.format("%.1f MiB", v / (1 << 20));
        }
        if (v >= 1 << 10) {
            return String.format("%.1f KiB", v / (1 << 10));
        }
        return String.format("%.0f B", v);
    }
}
