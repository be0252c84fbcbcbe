package dev.lamina.benchmarks;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.LaminaStatistics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * An overwrite-heavy run on the engine: {@code keys} keys with {@code valueSize}-byte values, each overwritten
 * {@code rounds} times in random order, a commit every 10,000 puts (as Kafka Streams commits), then a full
 * compaction. Prints put throughput, write amplification and space amplification.
 *
 * <p>Arguments: {@code [keys] [valueSize] [rounds]}, default 1,000,000 100 10.
 */
public final class OverwriteRun {
    private OverwriteRun() {
    }

    public static void main(String[] args) throws IOException {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int valueSize = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path dir = Files.createTempDirectory("lamina-overwrite");
        Random random = new Random(42);
        long puts = (long) keys * rounds;
        // Incompressible values, fresh for every put, from a generator fast enough not to dominate the run
        // (java.util.Random's nextBytes took ~20 us per 16 KiB value, more than the put).
        SplittableRandom values = new SplittableRandom(7);
        try (Lamina db = Lamina.open(dir, LaminaOptions.defaults())) {
            long start = System.nanoTime();
            for (long i = 0; i < puts; i++) {
                // A fresh array per put, as a serializer hands one over: the store keeps the array it is given.
                byte[] value = new byte[valueSize];
                values.nextBytes(value);
                db.put(key(random.nextInt(keys)), value);
                if (i % 10_000 == 9_999) {
                    db.commit(Long.toString(i).getBytes());
                }
            }
            db.commit(Long.toString(puts).getBytes());
            double seconds = (System.nanoTime() - start) / 1e9;
            LaminaStatistics st = db.statistics();
            System.out.printf("Overwrite run: %,d keys x %d rounds of %d-byte values (random order, commit every"
                    + " 10,000 puts)%n", keys, rounds, valueSize);
            System.out.printf("  puts: %,d in %.1f s = %,.0f puts/s%n", puts, seconds, puts / seconds);
            System.out.printf("  write amplification (disk bytes / user bytes): %.2f  [WAL %,d, flushes %,d,"
                    + " compaction %,d, user %,d bytes]%n", st.writeAmplification(), st.walBytesWritten(),
                    st.flushBytesWritten(), st.compactionBytesWritten(), st.userBytesWritten());
            System.out.printf("  stalls: %.1f s, compactions: %d, level files: %s%n", st.stallNanos() / 1e9,
                    st.compactions(), levels(st));
            System.out.printf("  flushes: %d, %.1f ms each; memtable compactions: %d; value log: %,d bytes written,"
                    + " %,d values relocated, %d files deleted, %d written over an obsolete one%n", st.flushes(),
                    st.flushes() == 0 ? 0 : st.flushNanos() / 1e6 / st.flushes(), st.memtableCompactions(),
                    st.vlogBytesWritten(), st.vlogValuesRelocated(), st.vlogFilesDeleted(), st.vlogFilesReused());
            long compactStart = System.nanoTime();
            db.compactRange(null, null);
            long live = (long) keys * (key(0).length + valueSize);
            System.out.printf("  after compactRange (%.1f s): directory %,d bytes for ~%,d live bytes = %.2fx%n",
                    (System.nanoTime() - compactStart) / 1e9, Directories.bytes(dir), live,
                    Directories.bytes(dir) / (double) live);
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    private static byte[] key(int i) {
        return String.format("key-%010d", i).getBytes();
    }

    private static String levels(LaminaStatistics st) {
        StringBuilder sb = new StringBuilder();
        for (int level = 0; level < 7; level++) {
            sb.append(level == 0 ? "" : "/").append(st.tableFiles(level));
        }
        return sb.toString();
    }


}
