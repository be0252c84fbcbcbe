package dev.lamina.store.fault;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaIterator;
import dev.lamina.store.LaminaOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;

/** The oracle: a store must hold exactly the batches {@code 1..P} for a P in the allowed range. */
public final class StoreVerifier {

    /** What a store was found to hold: batches {@code 1..batch}, last committed metadata {@code commit}. */
    public record Found(long batch, long commit) {
    }

    /**
     * What a recovered store may hold: a batch count in {@code [minBatch, maxBatch]} and committed metadata at least
     * {@code minCommit} (and at most the batch count).
     */
    public record Bounds(long minBatch, long maxBatch, long minCommit) {
        public static Bounds exactly(long batch, long commit) {
            return new Bounds(batch, batch, commit);
        }
    }

    private StoreVerifier() {
    }

    /** Opens {@code dir}, checks it against {@code bounds}, closes it, and returns what it holds. */
    public static Found verify(Path dir, LaminaOptions options, Bounds bounds, String what) {
        try (Lamina db = Lamina.open(dir, options)) {
            return check(db, bounds, what);
        }
    }

    /** Checks an open store against {@code bounds}. */
    public static Found check(Lamina db, Bounds bounds, String what) {
        long batch = Batches.decode(db.get(Batches.COUNTER));
        if (batch < bounds.minBatch() || batch > bounds.maxBatch()) {
            throw new AssertionError(what + ": store holds batches 1.." + batch + ", expected between "
                    + bounds.minBatch() + " and " + bounds.maxBatch()
                    + (batch < bounds.minBatch() ? " (acknowledged data lost)" : ""));
        }
        long commit = Batches.decode(db.committedMetadata());
        if (commit < bounds.minCommit() || commit > batch) {
            throw new AssertionError(what + ": committed metadata is batch " + commit + ", expected between "
                    + bounds.minCommit() + " and " + batch);
        }
        assertHolds(db, batch, what);
        return new Found(batch, commit);
    }

    /** The store's contents, scanned forwards and read key by key, equal the model of batches {@code 1..n}. */
    public static void assertHolds(Lamina db, long n, String what) {
        NavigableMap<byte[], byte[]> model = Batches.model(n);
        try (LaminaIterator it = db.newIterator()) {
            it.seekToFirst();
            for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
                if (!it.isValid()) {
                    throw new AssertionError(what + ": scan ended before " + show(e.getKey()) + " (batches 1.." + n
                            + ")");
                }
                if (!Arrays.equals(e.getKey(), it.key())) {
                    throw new AssertionError(what + ": scan found key " + show(it.key()) + ", expected "
                            + show(e.getKey()) + " (batches 1.." + n + ")");
                }
                if (!Arrays.equals(e.getValue(), it.value())) {
                    throw new AssertionError(what + ": wrong value for " + show(e.getKey()) + " (batches 1.." + n
                            + ")");
                }
                it.next();
            }
            if (it.isValid()) {
                throw new AssertionError(what + ": extra key " + show(it.key()) + " beyond batches 1.." + n);
            }
        }
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            if (!Arrays.equals(e.getValue(), db.get(e.getKey()))) {
                throw new AssertionError(what + ": get of " + show(e.getKey()) + " differs from the model");
            }
        }
    }

    static String show(byte[] key) {
        String s = new String(key, StandardCharsets.UTF_8);
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? s : HexFormat.of().formatHex(key);
    }
}
