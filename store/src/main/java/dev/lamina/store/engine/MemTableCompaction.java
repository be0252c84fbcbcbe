package dev.lamina.store.engine;

import dev.lamina.store.compaction.ShadowedEntryFilter;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.memtable.MemTable;

/**
 * Compacts a full memtable in memory when a good part of it is old versions of keys overwritten since: a new
 * memtable with only the entries a reader can still see replaces it, and no table is written. A store whose hot
 * keys are rewritten over and over (Kafka Streams aggregates) then flushes only when its distinct keys fill the
 * memtable.
 *
 * <p>Readers are unaffected: the engine publishes the new memtable in a new read state, and readers and iterators
 * holding the old one keep it. Entries an open snapshot can see are kept (the same per-snapshot rule as a flush).
 *
 * <p>When a compaction frees too little, it is not tried again for a while (1, 2, 4, … up to 16 memtables), so a
 * store of distinct keys pays for a failed pass rarely. Not thread-safe: called under the engine's write lock.
 */
final class MemTableCompaction {
    /**
     * The compacted memtable must be at most this fraction of the full one, or the memtable is flushed instead. A
     * compaction copies references (its cost is per entry), a flush writes every value (its cost is per byte), so
     * freeing a quarter of the buffer is worth a pass; at one half, a hot set filling half the buffer (the
     * benchmark's 511 keys of 16 KiB in 16 MiB) missed about every other time and was flushed instead.
     */
    static final double MAX_KEPT_FRACTION = 0.75;
    private static final int MAX_BACKOFF = 16;

    private int backoff;
    private int skipsLeft;

    /** A compacted copy of {@code mem}, or null if it would free too little (or is not worth trying now). */
    MemTable tryCompact(MemTable mem, long[] snapshots) {
        if (skipsLeft > 0) {
            skipsLeft--;
            return null;
        }
        MemTable compacted = mem.emptyCopy();
        ShadowedEntryFilter filter = new ShadowedEntryFilter(snapshots, userKey -> false);
        long limit = (long) (mem.memoryUsage() * MAX_KEPT_FRACTION);
        try (InternalIterator it = mem.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (filter.keep(it.key())) {
                    compacted.addEncoded(it.key(), it.value());
                    if (compacted.memoryUsage() > limit) {
                        backoff = Math.min(MAX_BACKOFF, Math.max(1, backoff * 2));
                        skipsLeft = backoff;
                        return null;
                    }
                }
            }
        }
        backoff = 0;
        return compacted;
    }
}
