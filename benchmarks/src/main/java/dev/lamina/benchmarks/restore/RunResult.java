package dev.lamina.benchmarks.restore;

/**
 * One measured restart of the application.
 *
 * @param part            {@code empty}, or {@code kill} (restart after SIGKILL)
 * @param guarantee       the processing guarantee
 * @param store           the store
 * @param valueSize       bytes per value
 * @param round           the round
 * @param killSeconds     seconds between the task being ready and the kill (0 for {@code empty})
 * @param processed       input records the killed instance reported processed (its last report, at most 100 ms
 *                        old), or the changelog's records for {@code empty}
 * @param inputCommitted  the consumer group's committed offset on the input after the kill (-1 for {@code empty})
 * @param changelogEnd    the changelog's end offset when the application restarted
 * @param restoreFrom     the first changelog offset restored, i.e. the offset the store had durably committed
 *                        (the end offset if nothing was restored)
 * @param restored        records restored (the {@code StateRestoreListener}'s total)
 * @param restoreMillis   restore time, from the listener's start to its end
 * @param readyMillis     from starting the JVM to the task running again (JVM start, rebalance and restore)
 * @param corrupted       whether Kafka Streams reported the task's state corrupted and wiped it
 * @param stateDirBytes   bytes in the state directory: after the restored application closed cleanly
 *                        ({@code empty}), at the kill ({@code kill})
 */
record RunResult(String part, String guarantee, StoreChoice store, int valueSize, int round, double killSeconds,
        long processed, long inputCommitted, long changelogEnd, long restoreFrom, long restored,
        double restoreMillis, long readyMillis, boolean corrupted, long stateDirBytes) {

    static String csvHeader() {
        return "part,guarantee,store,valueSize,round,killSeconds,processed,inputCommitted,changelogEnd,restoreFrom,"
                + "restored,restoreMillis,readyMillis,corrupted,stateDirBytes";
    }

    String csv() {
        return String.format("%s,%s,%s,%d,%d,%.1f,%d,%d,%d,%d,%d,%.3f,%d,%b,%d", part, guarantee, store, valueSize,
                round, killSeconds, processed, inputCommitted, changelogEnd, restoreFrom, restored, restoreMillis,
                readyMillis, corrupted, stateDirBytes);
    }

    /** The inverse of {@link #csv()}. */
    static RunResult parse(String line) {
        String[] f = line.split(",");
        return new RunResult(f[0], f[1], StoreChoice.valueOf(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                Double.parseDouble(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]),
                Long.parseLong(f[9]), Long.parseLong(f[10]), Double.parseDouble(f[11]), Long.parseLong(f[12]),
                Boolean.parseBoolean(f[13]), Long.parseLong(f[14]));
    }

    /** Records the restarted instance processes again: processed before the kill but not committed. */
    long reprocessed() {
        return inputCommitted < 0 ? 0 : Math.max(0, processed - inputCommitted);
    }

    /** The restore started from the beginning of the changelog (no usable committed offset, or a wipe). */
    boolean fullRestore() {
        return restored > 0 && restoreFrom == 0;
    }

    String valueLabel() {
        return valueSize >= 1024 ? (valueSize / 1024) + " KiB" : valueSize + " B";
    }
}
