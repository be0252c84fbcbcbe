package dev.lamina.benchmarks.restore;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What one restore run does. {@link #fromSystemProperties()} reads {@code -Dbench.*} properties with the defaults of
 * {@code bench.mode} ({@code full} or {@code quick}); see {@code benchmarks/README.md}.
 *
 * @param parts           {@code empty} (restore from an empty state directory), {@code alos} and {@code eos}
 *                        (kill -9 under at_least_once and exactly_once_v2)
 * @param stores          the stores compared
 * @param rounds          rounds of each measurement (the tables give medians)
 * @param emptySmall      records of 100 B in the restore-from-empty changelog
 * @param emptyLarge      records of 16 KiB in the restore-from-empty changelog
 * @param killStores      the stores of the kill -9 parts
 * @param killRate        input records per second while the application runs before the kill
 * @param killValue       value size of the kill -9 parts' input
 * @param killKeys        key space of that input (values overwrite each other)
 * @param alosKillSeconds the kill comes this many seconds after the task is ready: from, to (spread over the rounds)
 * @param eosKillSeconds  the same under exactly_once_v2
 * @param alosCommitMs    commit.interval.ms under at_least_once, or null for Kafka's default (30 s)
 * @param out             output directory of the CSV, Markdown table and chart
 * @param name            file name (without extension) of the outputs
 */
record Settings(List<String> parts, List<StoreChoice> stores, int rounds, long emptySmall, long emptyLarge,
        List<StoreChoice> killStores, int killRate, int killValue, int killKeys, double[] alosKillSeconds,
        double[] eosKillSeconds, String alosCommitMs, Path out, String name) {

    static Settings fromSystemProperties() {
        boolean quick = prop("bench.mode", "full").equals("quick");
        return new Settings(list("bench.parts", "empty,alos,eos"),
                stores("bench.stores", "LAMINA,ROCKSDB,ROCKSDB_BOUNDED"),
                Integer.parseInt(prop("bench.rounds", quick ? "1" : "3")),
                Long.parseLong(prop("bench.empty.small", quick ? "5000" : "1000000")),
                Long.parseLong(prop("bench.empty.large", quick ? "200" : "20000")),
                stores("bench.kill.stores", quick ? "LAMINA" : "LAMINA,ROCKSDB,ROCKSDB_BOUNDED"),
                Integer.parseInt(prop("bench.kill.rate", quick ? "2000" : "5000")),
                Integer.parseInt(prop("bench.kill.value", "100")),
                Integer.parseInt(prop("bench.kill.keys", "100000")),
                seconds("bench.kill.alos.seconds", quick ? "4,4" : "33,45"),
                seconds("bench.kill.eos.seconds", quick ? "3,3" : "8,12"),
                prop("bench.kill.commitMs", quick ? "1000" : ""),
                Path.of(prop("bench.out", "docs/benchmarks")),
                prop("bench.name", quick ? "restore-run-quick" : "restore-run"));
    }

    /** The kill delay of round {@code round}: the window's rounds spread evenly over it. */
    double killSeconds(double[] window, int round) {
        return window[0] + (window[1] - window[0]) * (round + 0.5) / rounds;
    }

    /** A system property; unset or blank (as Maven passes an empty property) means the default. */
    private static String prop(String property, String def) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? def : value.trim();
    }

    private static List<String> list(String property, String def) {
        return Arrays.stream(prop(property, def).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static List<StoreChoice> stores(String property, String def) {
        return list(property, def).stream().map(StoreChoice::valueOf).toList();
    }

    private static double[] seconds(String property, String def) {
        String[] f = prop(property, def).split(",");
        double from = Double.parseDouble(f[0]);
        return new double[] {from, f.length > 1 ? Double.parseDouble(f[1]) : from};
    }
}
