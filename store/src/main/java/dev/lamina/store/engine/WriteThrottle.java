package dev.lamina.store.engine;

/**
 * How long a writer sleeps while level 0 is at the slowdown trigger: writes are held to {@link #DELAYED_WRITE_RATE}
 * bytes a second (RocksDB's default {@code delayed_write_rate}), paid in sleeps of about a millisecond, so that
 * compaction catches up before writes have to stop. The first version slept a millisecond in every write, which
 * capped 100-byte puts at 1,000 a second after a bulk load. Not thread-safe: used under the engine's write lock.
 */
final class WriteThrottle {
    /** Bytes per second writers are held to while slowed down. */
    static final long DELAYED_WRITE_RATE = 16 << 20;
    /** A writer sleeps once this many bytes are owed: a millisecond's worth at the delayed rate. */
    static final long SLEEP_BYTES = DELAYED_WRITE_RATE / 1000;

    private long debt;

    /** Nanoseconds to sleep now for a write of {@code bytes} made while slowed down (often 0). */
    long delayNanos(long bytes) {
        debt += Math.max(1, bytes);
        if (debt < SLEEP_BYTES) {
            return 0;
        }
        long nanos = debt * 1_000_000_000L / DELAYED_WRITE_RATE;
        debt = 0;
        return nanos;
    }

    /** Sleeps a writer for {@code nanos}; an interrupt ends the sleep early and stays set. */
    static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
