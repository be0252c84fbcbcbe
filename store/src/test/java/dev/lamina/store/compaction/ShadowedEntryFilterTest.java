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
        // shadowed when no snapshot limited the filter (as at recovery), dropping all data.
        ShadowedEntryFilter filter = ShadowedEntryFilter.withoutSnapshots();
        assertTrue(filter.keep(ik("a", 5, ValueKind.VALUE)));
        assertFalse(filter.keep(ik("a", 3, ValueKind.VALUE)));
        assertTrue(filter.keep(ik("b", 4, ValueKind.VALUE)));
        assertEquals(1, filter.dropped());
    }

    @Test
    void keepsEveryVersionAnOpenSnapshotCanSee() {
        ShadowedEntryFilter filter = new ShadowedEntryFilter(new long[] {10}, k -> true);
        assertTrue(filter.keep(ik("a", 20, ValueKind.VALUE)));   // newest
        assertTrue(filter.keep(ik("a", 9, ValueKind.VALUE)));    // what snapshot 10 sees
        assertFalse(filter.keep(ik("a", 8, ValueKind.VALUE)));   // hidden from everyone
    }

    @Test
    void dropsADeletionOnlyWhenNothingBelowCanHoldItsKey() {
        ShadowedEntryFilter bottom = new ShadowedEntryFilter(new long[] {100}, k -> true);
        assertFalse(bottom.keep(ik("a", 50, ValueKind.DELETION)));
        ShadowedEntryFilter notBottom = new ShadowedEntryFilter(new long[] {100}, k -> false);
        assertTrue(notBottom.keep(ik("a", 50, ValueKind.DELETION)));
        ShadowedEntryFilter snapshotSeesOlder = new ShadowedEntryFilter(new long[] {40}, k -> true);
        assertTrue(snapshotSeesOlder.keep(ik("a", 50, ValueKind.DELETION)));
    }

    @Test
    void anOldSnapshotDoesNotKeepVersionsNewerThanItAlive() {
        // Versions 30 and 20 of "a": snapshot 10 sees neither (it sees 5), the latest reader sees 30. Only 30 and 5
        // are needed; LevelDB's rule would keep all four.
        ShadowedEntryFilter filter = new ShadowedEntryFilter(new long[] {10}, k -> true);
        assertTrue(filter.keep(ik("a", 30, ValueKind.VALUE)));
        assertFalse(filter.keep(ik("a", 20, ValueKind.VALUE)));
        assertFalse(filter.keep(ik("a", 15, ValueKind.DELETION)));
        assertTrue(filter.keep(ik("a", 5, ValueKind.VALUE)));
        assertFalse(filter.keep(ik("a", 4, ValueKind.VALUE)));
    }
}
