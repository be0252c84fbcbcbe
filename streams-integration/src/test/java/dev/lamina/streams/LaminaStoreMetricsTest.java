package dev.lamina.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine statistics as Kafka metrics; JMX visibility is checked by {@code LaminaStreamsIT} on a real app. */
class LaminaStoreMetricsTest {
    @TempDir
    Path dir;

    private static Map<String, Metric> storeMetrics(TestStoreContext context, String store) {
        return context.kafkaMetrics.metrics().entrySet().stream()
                .filter(e -> store.equals(e.getKey().tags().get("lamina-state-id")))
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }

    @Test
    void engineStatisticsAreStoreLevelMetricsTaggedLikeTheBuiltInOnes() {
        TestStoreContext context = new TestStoreContext(dir.toFile(), new TaskId(1, 3));
        KeyValueStore<Bytes, byte[]> store = StoreHarness.open(LaminaStores.persistentKeyValueStore("counts"),
                context);
        for (int i = 0; i < 100; i++) {
            store.put(Bytes.wrap(("k" + i).getBytes()), new byte[100]);
        }
        store.commit(Map.of());
        Map<String, Metric> metrics = storeMetrics(context, "counts");
        MetricName name = context.kafkaMetrics.metrics().keySet().stream()
                .filter(n -> n.name().equals("bytes-written-total")).findFirst().orElseThrow();
        assertEquals("stream-state-metrics", name.group());
        assertEquals("1_3", name.tags().get("task-id"));
        assertEquals(Thread.currentThread().getName(), name.tags().get("thread-id"));
        assertTrue(((Number) metrics.get("user-bytes-written-total").metricValue()).longValue() >= 100 * 100);
        assertTrue(((Number) metrics.get("wal-bytes-written-total").metricValue()).longValue() > 0);
        assertEquals(1L, ((Number) metrics.get("commits-total").metricValue()).longValue());
        assertEquals(100L, ((Number) metrics.get("estimate-num-keys").metricValue()).longValue());
        for (String expected : new String[] {"bytes-read-total", "write-amplification", "memtable-flushes-total",
            "memtable-bytes", "write-stall-time-ms-total", "block-cache-hit-ratio", "block-cache-usage",
            "table-files", "total-table-bytes", "level-0-table-files", "memtable-flush-bytes-total",
            "last-sequence", "memtable-compactions-total", "wal-syncs-total"}) {
            assertTrue(metrics.containsKey(expected), expected + " in " + metrics.keySet());
        }
        store.close();
        assertTrue(storeMetrics(context, "counts").isEmpty(), "closing the store removes its metrics");
    }
}
