package dev.lamina.store.compaction;

import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.util.function.Predicate;

/**
 * Decides, for a stream of internal entries in order, which a rewrite (flush or compaction) may drop:
 * <ul>
 *   <li>an entry shadowed by a newer entry of the same key that every snapshot already sees;</li>
 *   <li>a deletion every snapshot sees, when no deeper level can hold older data of its key (nothing left to
 *       hide).</li>
 * </ul>
 * Everything an open snapshot can still see is kept. Iterators are safe without this: they pin their files.
 */
public final class ShadowedEntryFilter {
    private final long smallestSnapshot;
    private final Predicate<byte[]> noOlderDataBelow;
    private byte[] currentUserKey;
    /** Sequence of the previous (newer) entry of the current key; meaningless while {@code seenNewer} is false. */
    private long lastSequenceForKey;
    private boolean seenNewer;
    private long dropped;

    /**
     * @param smallestSnapshot the oldest sequence any reader may read at (the oldest snapshot, else the last)
     * @param noOlderDataBelow given a user key, true if no level below the output can hold that key
     */
    public ShadowedEntryFilter(long smallestSnapshot, Predicate<byte[]> noOlderDataBelow) {
        this.smallestSnapshot = smallestSnapshot;
        this.noOlderDataBelow = noOlderDataBelow;
    }

    /** Entries must arrive in internal-key order. Returns whether to keep this one. */
    public boolean keep(byte[] internalKey) {
        if (currentUserKey == null || InternalKey.compareToUserKey(internalKey, currentUserKey) != 0) {
            currentUserKey = InternalKey.userKey(internalKey);
            seenNewer = false;
        }
        long sequence = InternalKey.sequence(internalKey);
        boolean drop;
        if (seenNewer && lastSequenceForKey <= smallestSnapshot) {
            drop = true;
        } else {
            drop = sequence <= smallestSnapshot && InternalKey.kind(internalKey) == ValueKind.DELETION
                    && noOlderDataBelow.test(currentUserKey);
        }
        lastSequenceForKey = sequence;
        seenNewer = true;
        if (drop) {
            dropped++;
        }
        return !drop;
    }

    /** Entries dropped so far. */
    public long dropped() {
        return dropped;
    }
}
