package dev.lamina.store.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WriteThrottleTest {

    /** Regression: a millisecond per write capped 100-byte puts at 1,000/s while level 0 was at the trigger. */
    @Test
    void smallWritesAreHeldToTheDelayedRateNotToAMillisecondEach() {
        WriteThrottle throttle = new WriteThrottle();
        long slept = 0;
        int sleeps = 0;
        for (int i = 0; i < 100_000; i++) {
            long d = throttle.delayNanos(100);
            slept += d;
            sleeps += d > 0 ? 1 : 0;
        }
        // 10 MB at 16 MiB/s: about 0.6 s, in sleeps of about a millisecond each.
        double expected = 100_000 * 100.0 / WriteThrottle.DELAYED_WRITE_RATE;
        assertEquals(expected, slept / 1e9, expected * 0.02);
        assertTrue(sleeps > 500 && sleeps < 700, "sleeps: " + sleeps);
    }

    @Test
    void aLargeWriteSleepsForItsOwnBytesAtOnce() {
        WriteThrottle throttle = new WriteThrottle();
        long d = throttle.delayNanos(16 << 20);
        assertEquals(1_000_000_000L, d, 1_000_000L);
        assertEquals(0, throttle.delayNanos(100));
    }
}
