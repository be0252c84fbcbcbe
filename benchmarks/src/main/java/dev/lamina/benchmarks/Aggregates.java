package dev.lamina.benchmarks;

import java.util.Arrays;

/** The aggregation the topology benchmarks run: each key keeps the last bytes of the fragments seen for it. */
public final class Aggregates {
    private Aggregates() {
    }

    /** The last bytes of {@code aggregate} followed by {@code fragment}, at most {@code cap} bytes in all. */
    public static byte[] keepLast(byte[] aggregate, byte[] fragment, int cap) {
        int keep = Math.min(aggregate.length, Math.max(0, cap - fragment.length));
        byte[] next = Arrays.copyOfRange(aggregate, aggregate.length - keep, aggregate.length + fragment.length);
        System.arraycopy(fragment, 0, next, keep, fragment.length);
        return next;
    }
}
