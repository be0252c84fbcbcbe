package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * A seeded mutation fuzzer for the decoders, in plain JUnit (Jazzer is not in the offline Maven repository here).
 * It mutates valid encodings (the seeds) with byte-level mutations, optionally repairs checksums so that garbage
 * reaches the code behind them, and feeds each input to a target. An input fails the run when the target throws
 * anything but the allowed exceptions, allocates more than the allowed bytes for the input's size (a forged length
 * that is trusted shows up here even where the heap is large enough to survive it), or takes more than
 * {@link #SLOW_INPUT}; the whole run is stopped if it takes {@link #HANG_GRACE} beyond its budget (a hang). Each
 * failure names the seed, the input number and the input in hex, so it can be replayed.
 *
 * <p>Budget: {@code lamina.fuzz.seconds} per target (default 2, or 60 under {@code lamina.stress}).
 */
public final class MutationFuzzer {
    static final Duration SLOW_INPUT = Duration.ofSeconds(2);
    static final Duration HANG_GRACE = Duration.ofSeconds(30);
    private static final int MAX_CORPUS = 256;

    /** Decodes one input; throws what the decoder throws. */
    @FunctionalInterface
    public interface Target {
        void accept(byte[] input) throws Throwable;
    }

    private final String name;
    private final long seed;
    private final List<byte[]> corpus = new ArrayList<>();
    private final List<Class<? extends Throwable>> allowed = new ArrayList<>();
    private UnaryOperator<byte[]> repair = UnaryOperator.identity();
    // The constant covers one-off costs such as the first warning initialising the logger.
    private LongUnaryOperator maxAllocation = n -> 16L * n + (8L << 20);
    private volatile byte[] current;

    public MutationFuzzer(String name, long seed) {
        this.name = name;
        this.seed = seed;
    }

    public MutationFuzzer seed(byte[] input) {
        corpus.add(input.clone());
        return this;
    }

    public MutationFuzzer allow(Class<? extends Throwable> type) {
        allowed.add(type);
        return this;
    }

    /** Applied to half of the mutated inputs: recomputes checksums so that the mutation gets past them. */
    public MutationFuzzer repairWith(UnaryOperator<byte[]> repairer) {
        this.repair = repairer;
        return this;
    }

    /** The most bytes the target may allocate for an input of the given length. */
    public MutationFuzzer maxAllocation(LongUnaryOperator bytesForLength) {
        this.maxAllocation = bytesForLength;
        return this;
    }

    public static Duration budget() {
        long seconds = Long.getLong("lamina.fuzz.seconds", Dirs.stress() ? 60 : 2);
        return Duration.ofSeconds(seconds);
    }

    /** Runs the target on mutated inputs for the budget; returns the number of inputs tried. */
    public long run(Target target) {
        if (corpus.isEmpty()) {
            throw new IllegalStateException("no seeds");
        }
        Duration budget = budget();
        return assertTimeoutPreemptively(budget.plus(HANG_GRACE), () -> loop(target, budget),
                () -> name + ": hung on input " + hex(current) + " (seed " + seed + ")");
    }

    private long loop(Target target, Duration budget) {
        Random random = new Random(seed);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long deadline = System.nanoTime() + budget.toNanos();
        long inputs = 0;
        // The seeds themselves first: a decoder that rejects valid input is broken too.
        for (byte[] s : List.copyOf(corpus)) {
            feed(target, s, inputs++, threads, thread, true);
        }
        while (System.nanoTime() < deadline) {
            byte[] input = mutate(random, corpus.get(random.nextInt(corpus.size())));
            if (random.nextBoolean()) {
                input = repair.apply(input);
            }
            if (feed(target, input, inputs++, threads, thread, false) && random.nextInt(8) == 0) {
                // Inputs the decoder accepted are good parents: they are closer to the interesting paths.
                if (corpus.size() < MAX_CORPUS) {
                    corpus.add(input);
                } else {
                    corpus.set(random.nextInt(MAX_CORPUS), input);
                }
            }
        }
        return inputs;
    }

    /** Feeds one input; returns whether the target accepted it without an exception. */
    private boolean feed(Target target, byte[] input, long number, com.sun.management.ThreadMXBean threads,
            long thread, boolean mustAccept) {
        current = input;
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long start = System.nanoTime();
        boolean accepted;
        try {
            target.accept(input.clone());
            accepted = true;
        } catch (Throwable t) {
            if (mustAccept || allowed.stream().noneMatch(a -> a.isInstance(t))) {
                throw new AssertionError(name + ": input " + number + " (seed " + seed + ", " + input.length
                        + " bytes) threw " + t + "; input: " + hex(input), t);
            }
            accepted = false;
        }
        long elapsed = System.nanoTime() - start;
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
        if (allocated > maxAllocation.applyAsLong(input.length)) {
            throw new AssertionError(name + ": input " + number + " (seed " + seed + ", " + input.length
                    + " bytes) made the decoder allocate " + allocated + " bytes; input: " + hex(input));
        }
        if (elapsed > SLOW_INPUT.toNanos()) {
            throw new AssertionError(name + ": input " + number + " (seed " + seed + ") took " + elapsed / 1_000_000
                    + " ms; input: " + hex(input));
        }
        return accepted;
    }

    private static final long[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 0xffffffffL, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 30, 1L << 31, 1L << 56};

    /** One to four byte-level mutations of {@code parent}. */
    byte[] mutate(Random random, byte[] parent) {
        byte[] b = parent.clone();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            b = mutateOnce(random, b);
        }
        return b;
    }

    private byte[] mutateOnce(Random random, byte[] b) {
        int len = b.length;
        switch (random.nextInt(10)) {
            case 0 -> { // flip one bit
                if (len > 0) {
                    b[random.nextInt(len)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> { // set a byte to something interesting or random
                if (len > 0) {
                    b[random.nextInt(len)] = (byte) (random.nextBoolean() ? INTERESTING[random.nextInt(6)]
                            : random.nextInt(256));
                }
            }
            case 2 -> { // overwrite 1, 2, 4 or 8 bytes with an interesting little-endian integer
                int width = 1 << random.nextInt(4);
                if (len >= width) {
                    int at = random.nextInt(len - width + 1);
                    long v = INTERESTING[random.nextInt(INTERESTING.length)];
                    for (int i = 0; i < width; i++) {
                        b[at + i] = (byte) (v >>> (8 * i));
                    }
                }
            }
            case 3 -> { // a forged varint: a huge length where a small one was
                if (len > 0) {
                    int at = random.nextInt(len);
                    byte[] varint = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) (random.nextInt(16))};
                    b = splice(b, at, varint, random.nextBoolean() ? 0 : Math.min(5, len - at));
                }
            }
            case 4 -> { // insert random bytes
                byte[] ins = new byte[1 + random.nextInt(8)];
                random.nextBytes(ins);
                b = splice(b, len == 0 ? 0 : random.nextInt(len + 1), ins, 0);
            }
            case 5 -> { // delete a range
                if (len > 0) {
                    int at = random.nextInt(len);
                    b = splice(b, at, new byte[0], 1 + random.nextInt(Math.min(len - at, 64)));
                }
            }
            case 6 -> { // copy a chunk over another place
                if (len > 1) {
                    int from = random.nextInt(len);
                    int to = random.nextInt(len);
                    int n = 1 + random.nextInt(Math.min(64, Math.min(len - from, len - to)));
                    System.arraycopy(b.clone(), from, b, to, n);
                }
            }
            case 7 -> { // cut the end
                if (len > 0) {
                    b = java.util.Arrays.copyOf(b, random.nextInt(len));
                }
            }
            case 8 -> { // append garbage
                byte[] tail = new byte[1 + random.nextInt(32)];
                random.nextBytes(tail);
                b = splice(b, len, tail, 0);
            }
            default -> { // splice with another corpus entry
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                if (len > 0 && other.length > 0) {
                    int at = random.nextInt(len);
                    int from = random.nextInt(other.length);
                    int n = Math.min(other.length - from, 1 + random.nextInt(128));
                    b = splice(b, at, java.util.Arrays.copyOfRange(other, from, from + n), Math.min(n, len - at));
                }
            }
        }
        return b;
    }

    /** {@code b} with {@code remove} bytes at {@code at} replaced by {@code insert}. */
    private static byte[] splice(byte[] b, int at, byte[] insert, int remove) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    static String hex(byte[] input) {
        if (input == null) {
            return "(none)";
        }
        String h = HexFormat.of().formatHex(input, 0, Math.min(input.length, 4096));
        return input.length > 4096 ? h + "... (" + input.length + " bytes)" : h;
    }
}
