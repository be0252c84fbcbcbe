package dev.lamina.store.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ShadowedEntryFilterTest {
    private static byte[] ik(String key, long seq, ValueKind kind) {
        return InternalKey.encode(key.getBytes(StandardCharsets.UTF_8), seq, kind);
    }

    @Test
    void keepsTheNewestEntryOfEachKeyEvenWhenNoSnapshotLimitsIt() {
        // Regression: a "no newer entry yet" sentinel of Long.MAX_VALUE made the first entry of every key look
        // shadowed when the smallest snapshot was Long.MAX_VALUE (as at recovery), dropping all data.
        ShadowedEntryFilter filter = new ShadowedEntryFilter(Long.MAX_VALUE, k -> false);
        assertTrue(filter.keep(ik("a", 5, ValueKind.VALUE)));
        assertFalse(filter.keep(ik("a", 3, ValueKind.VALUE)));
        assertTrue(filter.keep(ik("b", 4, ValueKind.VALUE)));
        assertEquals(1, filter.dropped());
    }

    @Test
    void keepsEveryVersionAnOpenSnapshotCanSee() {
        ShadowedEntryFilter filter = new ShadowedEntryFilter(10, k -> true);
        assertTrue(filter.keep(ik("a", 20, ValueKind.VALUE)));   // newest
        assertTrue(filter.keep(ik("a", 9, ValueKind.VALUE)));    // what snapshot 10 sees
        assertFalse(filter.keep(ik("a", 8, ValueKind.VALUE)));   // hidden from everyone
    }

    @Test
    void dropsADeletionOnlyWhenNothingBelowCanHoldItsKey() {
        ShadowedEntryFilter bottom = new ShadowedEntryFilter(100, k -> true);
        assertFalse(bottom.keep(ik("a", 50, ValueKind.DELETION)));
        ShadowedEntryFilter notBottom = new ShadowedEntryFilter(100, k -> false);
        assertTrue(notBottom.keep(ik("a", 50, ValueKind.DELETION)));
        ShadowedEntryFilter snapshotSeesOlder = new ShadowedEntryFilter(40, k -> true);
        assertTrue(snapshotSeesOlder.keep(ik("a", 50, ValueKind.DELETION)));
    }
}
