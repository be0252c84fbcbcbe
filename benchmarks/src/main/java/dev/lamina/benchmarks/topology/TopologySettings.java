package dev.lamina.benchmarks.topology;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Sizes of a topology run. {@link #fromSystemProperties()} reads {@code topology.*} system properties on top of
 * the full-mode defaults ({@code topology.mode=quick} starts from the quick ones instead).
 *
 * @param aggKeys          distinct keys of the aggregation
 * @param aggRecords       input records of the aggregation (keys drawn uniformly at random)
 * @param fragmentBytes    value bytes of each aggregation input record
 * @param aggregateBytes   the aggregate keeps the last this many bytes of its key's fragments
 * @param docs             documents in the join's KTable
 * @param docBytes         bytes of each document
 * @param events           events joined to the documents (keys uniformly at random over the documents)
 * @param eventBytes       bytes of each event
 * @param docUpdateEvery   one document update is interleaved with the events per this many events (0: none)
 * @param rounds           measured rounds; each round runs every store once, in a rotated order
 * @param workloads        the topologies to run
 * @param stores           the store kinds to run
 * @param out              directory for the CSV, Markdown and PNG output
 * @param name             base name of the output files
 */
record TopologySettings(int aggKeys, int aggRecords, int fragmentBytes, int aggregateBytes, int docs, int docBytes,
        int events, int eventBytes, int docUpdateEvery, int rounds, List<Workload> workloads,
        List<TopologyStore> stores, Path out, String name) {

    /** Full mode: 5 to 10 minutes on the project's 2-core VM. */
    static TopologySettings full() {
        return new TopologySettings(4_000, 240_000, 256, 8 * 1024, 20_000, 16 * 1024, 200_000, 100, 10, 3,
                List.of(Workload.values()), List.of(TopologyStore.values()), Path.of("docs/benchmarks"),
                "topology");
    }

    /** Quick mode: tiny inputs, one round; a check that everything runs. */
    static TopologySettings quick() {
        return new TopologySettings(200, 2_000, 256, 4 * 1024, 200, 16 * 1024, 2_000, 100, 10, 1,
                List.of(Workload.values()), List.of(TopologyStore.values()), Path.of("target/topology"),
                "topology-quick");
    }

    static TopologySettings fromSystemProperties() {
        TopologySettings d = "quick".equals(System.getProperty("topology.mode", "full")) ? quick() : full();
        return new TopologySettings(
                Integer.getInteger("topology.aggKeys", d.aggKeys()),
                Integer.getInteger("topology.aggRecords", d.aggRecords()),
                Integer.getInteger("topology.fragmentBytes", d.fragmentBytes()),
                Integer.getInteger("topology.aggregateBytes", d.aggregateBytes()),
                Integer.getInteger("topology.docs", d.docs()),
                Integer.getInteger("topology.docBytes", d.docBytes()),
                Integer.getInteger("topology.events", d.events()),
                Integer.getInteger("topology.eventBytes", d.eventBytes()),
                Integer.getInteger("topology.docUpdateEvery", d.docUpdateEvery()),
                Integer.getInteger("topology.rounds", d.rounds()),
                list(System.getProperty("topology.workloads"), Workload.class, d.workloads()),
                list(System.getProperty("topology.stores"), TopologyStore.class, d.stores()),
                Path.of(orDefault(System.getProperty("topology.out"), d.out().toString())),
                orDefault(System.getProperty("topology.name"), d.name()));
    }

    /** Maven passes every property of the profile, unset ones as empty strings. */
    private static String orDefault(String value, String dflt) {
        return value == null || value.isBlank() ? dflt : value;
    }

    private static <E extends Enum<E>> List<E> list(String csv, Class<E> type, List<E> dflt) {
        if (csv == null || csv.isBlank()) {
            return dflt;
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Enum.valueOf(type, s.toUpperCase())).toList();
    }

    /** Input records of a workload, as counted for records/s. */
    long inputRecords(Workload w) {
        return switch (w) {
            case AGGREGATE -> aggRecords;
            case JOIN -> docs + events + docUpdates();
        };
    }

    /** Records the workload's topology sends to its output topic; the run ends when all have been sent. */
    long outputRecords(Workload w) {
        return switch (w) {
            case AGGREGATE -> aggRecords;
            case JOIN -> events;
        };
    }

    long docUpdates() {
        return docUpdateEvery <= 0 ? 0 : (events + docUpdateEvery - 1) / docUpdateEvery;
    }
}
