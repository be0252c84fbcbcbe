package dev.lamina.streams;

import dev.lamina.store.LaminaStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.streams.StreamsMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine statistics of one store as Kafka Streams metrics: gauges in the group {@code stream-state-metrics},
 * tagged {@code thread-id}, {@code task-id} and {@code lamina-state-id} like the built-in store metrics, so they
 * appear in {@code KafkaStreams#metrics()} and over JMX under
 * {@code kafka.streams:type=stream-state-metrics,thread-id=…,task-id=…,lamina-state-id=…}.
 */
final class LaminaStoreMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(LaminaStoreMetrics.class);
    /** Levels of the LSM tree the engine has today. */
    static final int LEVELS = 7;

    private final StreamsMetrics metrics;
    private final List<MetricName> names = new ArrayList<>();

    private LaminaStoreMetrics(StreamsMetrics metrics) {
        this.metrics = metrics;
    }

    /** Registers the gauges of a store; {@code statistics} is read each time a gauge is read. */
    static LaminaStoreMetrics register(StreamsMetrics metrics, String taskId, String scope, String storeName,
            LaminaStatistics stats, LongSupplier estimatedKeys) {
        LaminaStoreMetrics m = new LaminaStoreMetrics(metrics);
        Registrar r = new Registrar(m, taskId, scope, storeName, stats);
        // One line per statistic.
        r.count("bytes-written-total", "Bytes the engine wrote to disk (log, tables, manifest)",
                LaminaStatistics::bytesWritten);
        r.count("user-bytes-written-total", "Key and value bytes written to the store",
                LaminaStatistics::userBytesWritten);
        r.count("wal-bytes-written-total", "Bytes written to the write-ahead log", LaminaStatistics::walBytesWritten);
        r.count("bytes-read-total", "Bytes the engine read from disk", LaminaStatistics::bytesRead);
        r.ratio("write-amplification", "Bytes written to disk per byte written to the store",
                LaminaStatistics::writeAmplification);
        r.count("wal-syncs-total", "Fsyncs of the write-ahead log", LaminaStatistics::walSyncs);
        r.count("commits-total", "Durable commits", LaminaStatistics::commits);
        r.count("memtable-flushes-total", "Memtables written to tables", LaminaStatistics::flushes);
        r.count("memtable-compactions-total",
                "Full memtables of overwritten keys compacted in memory instead of flushed",
                LaminaStatistics::memtableCompactions);
        r.count("memtable-flush-bytes-total", "Bytes of tables written by flushes",
                LaminaStatistics::flushBytesWritten);
        r.count("memtable-bytes", "Heap bytes held by memtables", LaminaStatistics::memtableBytes);
        r.count("write-stall-time-ms-total", "Time writes waited for a flush or compaction, in ms",
                s -> s.stallNanos() / 1_000_000);
        r.ratio("block-cache-hit-ratio", "Block cache hits per lookup (0 before any lookup)",
                LaminaStoreMetrics::hitRatio);
        r.count("block-cache-usage", "Bytes held by the block cache", LaminaStatistics::blockCacheBytes);
        r.count("table-files", "Table files at all levels", s -> sumLevels(s, true));
        r.count("total-table-bytes", "Bytes of table files at all levels", s -> sumLevels(s, false));
        r.count("level-0-table-files", "Table files at level 0", s -> s.tableFiles(0));
        r.count("compactions-total", "Compactions completed", LaminaStatistics::compactions);
        r.count("compaction-bytes-written-total", "Bytes of tables written by compactions",
                LaminaStatistics::compactionBytesWritten);
        r.count("vlog-bytes-written-total", "Bytes written to the value log", LaminaStatistics::vlogBytesWritten);
        r.count("vlog-live-bytes", "Bytes of value-log entries still referenced", LaminaStatistics::vlogLiveBytes);
        r.count("vlog-garbage-bytes", "Bytes of value-log entries no longer referenced, not yet reclaimed",
                LaminaStatistics::vlogGarbageBytes);
        r.count("vlog-files-reused-total", "Value-log files written over an obsolete one instead of created",
                LaminaStatistics::vlogFilesReused);
        r.count("vlog-kept-bytes", "Bytes of obsolete value-log files kept to be written over",
                LaminaStatistics::vlogKeptBytes);
        r.ratio("space-amplification", "Bytes of tables and value log per live byte",
                LaminaStatistics::spaceAmplification);
        r.count("last-sequence", "Sequence number of the last write", LaminaStatistics::lastSequence);
        r.count("estimate-num-keys", "Estimated keys (overwrites and deletions not subtracted)",
                s -> estimatedKeys.getAsLong());
        if (m.names.isEmpty()) {
            LOG.debug("Metrics of store {} not registered: the context's metrics are not Kafka's", storeName);
        }
        return m;
    }

    /** Removes the gauges. Idempotent. */
    void close() {
        for (MetricName name : names) {
            try {
                KafkaInternals.removeStoreGauge(metrics, name);
            } catch (RuntimeException e) {
                LOG.debug("Removing metric {} failed", name, e);
            }
        }
        names.clear();
    }

    static double hitRatio(LaminaStatistics s) {
        long hits = s.blockCacheHits();
        long total = hits + s.blockCacheMisses();
        return total == 0 ? 0 : (double) hits / total;
    }

    static long sumLevels(LaminaStatistics s, boolean files) {
        long sum = 0;
        for (int level = 0; level < LEVELS; level++) {
            sum += files ? s.tableFiles(level) : s.tableBytes(level);
        }
        return sum;
    }

    private record Registrar(LaminaStoreMetrics target, String taskId, String scope, String store,
            LaminaStatistics stats) {
        void count(String name, String description, ToLongFunction<LaminaStatistics> f) {
            add(name, description, (config, now) -> {
                try {
                    return f.applyAsLong(stats);
                } catch (RuntimeException e) {
                    return 0L; // the store is closing
                }
            });
        }

        void ratio(String name, String description, ToDoubleFunction<LaminaStatistics> f) {
            add(name, description, (config, now) -> {
                try {
                    return f.applyAsDouble(stats);
                } catch (RuntimeException e) {
                    return 0.0;
                }
            });
        }

        private void add(String name, String description, Gauge<?> gauge) {
            MetricName added = KafkaInternals.addStoreGauge(target.metrics, taskId, scope, store, name, description,
                    gauge);
            if (added != null) {
                target.names.add(added);
            }
        }
    }
}
