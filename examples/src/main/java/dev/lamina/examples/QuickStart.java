package dev.lamina.examples;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaIterator;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.LaminaStatistics;
import dev.lamina.store.WriteBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Uses the engine directly: writes, commits, reopens and reads back, then prints the store's statistics.
 * Run with {@code mvn -B -q -Pexample verify -DskipTests -Dexample.main=dev.lamina.examples.QuickStart} from the
 * repository root (see examples/README.md).
 */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("lamina-quickstart");
        int records = 200_000;
        LaminaOptions options = LaminaOptions.defaults();

        long start = System.nanoTime();
        try (Lamina db = Lamina.open(dir, options)) {
            WriteBatch batch = new WriteBatch();
            for (int i = 0; i < records; i++) {
                batch.put(key(i), ("value-" + i + "-" + "x".repeat(80)).getBytes(StandardCharsets.UTF_8));
                if (batch.count() == 1000) {
                    db.write(batch);
                    batch = new WriteBatch();
                }
            }
            db.write(batch);
            db.commit(("offset=" + records).getBytes(StandardCharsets.UTF_8));
            db.flush();
            report("after writing", db.statistics(), records, start);
        }

        try (Lamina db = Lamina.open(dir, options)) {
            String committed = new String(db.committedMetadata(), StandardCharsets.UTF_8);
            System.out.println("Reopened " + dir + "; committed metadata: " + committed);
            System.out.println("key-000042 = " + new String(db.get(key(42)), StandardCharsets.UTF_8).substring(0, 9));
            int counted = 0;
            try (LaminaIterator it = db.newIterator()) {
                for (it.seek(key(1000)); it.isValid() && counted < 5; it.next()) {
                    counted++;
                    System.out.println("  scan: " + new String(it.key(), StandardCharsets.UTF_8));
                }
            }
        }
        if (args.length == 0) {
            deleteRecursively(dir);
        }
    }

    private static byte[] key(int i) {
        return String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static void report(String when, LaminaStatistics st, int records, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%s: %,d records in %.2f s (%,.0f records/s)%n", when, records, seconds, records / seconds);
        System.out.printf("  user bytes %,d, disk bytes %,d (write amplification %.2f), WAL syncs %d, flushes %d,"
                + " level-0 tables %d%n", st.userBytesWritten(), st.bytesWritten(), st.writeAmplification(),
                st.walSyncs(), st.flushes(), st.tableFiles(0));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
