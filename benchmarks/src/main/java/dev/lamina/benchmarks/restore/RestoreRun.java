package dev.lamina.benchmarks.restore;

import dev.lamina.benchmarks.Directories;
import dev.lamina.kafka.embedded.EmbeddedKafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whole-run restore benchmark on a real broker: Lamina against Kafka's RocksDB store at Kafka's defaults
 * and with {@code BoundedMemoryRocksDBConfig}, each as the store of the same Kafka Streams application
 * ({@link RestoreApp}) running in a child JVM against an {@link EmbeddedKafkaCluster} in this JVM.
 *
 * <ul>
 *   <li><b>Restore from empty</b> ({@link EmptyRestore}): a changelog of N records (100 B and 16 KiB values) is
 *       written once by the application; then, per store and round, the application starts on an empty state
 *       directory and the restore is timed ({@code StateRestoreListener} start to end, records restored).</li>
 *   <li><b>kill -9</b> ({@link KillRestore}): the application processes a steady input stream, is killed with
 *       SIGKILL, and restarted on the same state directory; measured: records restored on restart, how far the
 *       store's committed changelog offset and the input's committed offset fell back; under at_least_once and
 *       exactly_once_v2, each at Kafka's default commit interval.</li>
 * </ul>
 *
 * <p>Writes {@code <name>.csv} (every run), {@code <name>.md} (medians, Lamina/RocksDB ratios) and {@code <name>.png}
 * to {@code bench.out}. Run: {@code mvn -B -o -pl benchmarks -am -Prestore-run verify -DskipTests}
 * ({@code -Dbench.mode=quick} for the smoke-test sizes); the properties are in {@link Settings}.
 */
public final class RestoreRun {
    /** Heap of each application JVM. */
    static final String CHILD_HEAP = "1g";

    private final Settings settings;
    private final EmbeddedKafkaCluster kafka;
    private final Path work;

    private RestoreRun(Settings settings, EmbeddedKafkaCluster kafka, Path work) {
        this.settings = settings;
        this.kafka = kafka;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        List<RunResult> results = run(settings);
        RestoreReport.write(results, settings);
        System.out.println();
        System.out.println(RestoreReport.markdown(results));
        System.out.println("Written to " + settings.out().resolve(settings.name() + ".{csv,md,png}"));
    }

    /** Starts a broker in a temporary directory, runs the parts the settings name, deletes the directory. */
    static List<RunResult> run(Settings settings) throws Exception {
        Path work = Files.createTempDirectory("lamina-restore-run");
        // Segments of 128 MiB, not the embedded broker's 1 MiB: closer to production, and the log cleaner does not
        // compact the changelogs under the measurement (it never touches the active segment).
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(work.resolve("kafka"),
                Map.of("log.segment.bytes", Integer.toString(128 * 1024 * 1024)))) {
            RestoreRun run = new RestoreRun(settings, kafka, work);
            List<RunResult> results = new ArrayList<>();
            if (settings.parts().contains("empty")) {
                results.addAll(new EmptyRestore(run).run());
            }
            if (settings.parts().contains("alos")) {
                results.addAll(new KillRestore(run, "at_least_once").run());
            }
            if (settings.parts().contains("eos")) {
                results.addAll(new KillRestore(run, "exactly_once_v2").run());
            }
            return results;
        } finally {
            Directories.deleteRecursively(work);
        }
    }

    Settings settings() {
        return settings;
    }

    String bootstrap() {
        return kafka.bootstrapServers();
    }

    void createTopic(String name) {
        kafka.createTopic(name, 1);
    }

    /** A new, empty directory under the run's temporary directory. */
    Path newDir(String name) throws IOException {
        Path dir = work.resolve(name);
        Directories.deleteRecursively(dir);
        return Files.createDirectories(dir);
    }

    Path log(String name) {
        return work.resolve(name + ".log");
    }

    /** The arguments of {@link RestoreApp}. */
    Map<String, String> appArgs(String appId, Path stateDir, StoreChoice store, String input, String guarantee,
            String commitMs) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("bootstrap", bootstrap());
        args.put("app", appId);
        args.put("stateDir", stateDir.toString());
        args.put("store", store.name());
        args.put("input", input);
        args.put("guarantee", guarantee);
        if (commitMs != null && !commitMs.isEmpty()) {
            args.put("commitMs", commitMs);
        }
        return args;
    }

    /** The end offset of partition 0 of {@code topic}. */
    long endOffset(String topic) throws ExecutionException, InterruptedException {
        TopicPartition tp = new TopicPartition(topic, 0);
        return kafka.admin().listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
    }

    /** The committed offset of {@code group} on partition 0 of {@code topic}, or 0 if it has none. */
    long committedOffset(String group, String topic) throws ExecutionException, InterruptedException {
        OffsetAndMetadata committed = kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get().get(new TopicPartition(topic, 0));
        return committed == null ? 0 : committed.offset();
    }

    /** The stores in the order of round {@code round}: rotated each round so none is always first. */
    static List<StoreChoice> rotated(List<StoreChoice> stores, int round) {
        List<StoreChoice> order = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) {
            order.add(stores.get((i + round) % stores.size()));
        }
        return order;
    }


}
