package dev.lamina.store.compaction;

import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Decides, for a stream of internal entries in order, which a rewrite (flush or compaction) may drop:
 * <ul>
 *   <li>an entry with a newer entry of the same key, when no open snapshot falls between the two (no reader can
 *       see it: readers after the newer entry see that one);</li>
 *   <li>a deletion every snapshot sees, when no deeper level can hold older data of its key (nothing left to
 *       hide).</li>
 * </ul>
 * Unlike LevelDB, which keeps every version newer than the oldest snapshot, this looks at each snapshot, so one
 * long-lived snapshot does not keep every overwrite alive. Iterators are safe without this: they pin their files.
 */
public final class ShadowedEntryFilter {
    private final long[] snapshots;
    private final long smallestSnapshot;
    private final Predicate<byte[]> noOlderDataBelow;
    private byte[] currentUserKey;
    /** Sequence of the previous (newer) entry of the current key; meaningless while {@code seenNewer} is false. */
    private long newerSequence;
    private boolean seenNewer;
    private long dropped;

    /**
     * @param snapshots        the sequences of the open snapshots (any order)
     * @param noOlderDataBelow given a user key, true if no level below the output can hold that key
     */
    public ShadowedEntryFilter(long[] snapshots, Predicate<byte[]> noOlderDataBelow) {
        this.snapshots = snapshots.clone();
        Arrays.sort(this.snapshots);
        this.smallestSnapshot = this.snapshots.length == 0 ? Long.MAX_VALUE : this.snapshots[0];
        this.noOlderDataBelow = noOlderDataBelow;
    }

    /** A filter for when no snapshot is open (recovery). */
    public static ShadowedEntryFilter withoutSnapshots() {
        return new ShadowedEntryFilter(new long[0], userKey -> false);
    }

    /** Entries must arrive in internal-key order. Returns whether to keep this one. */
    public boolean keep(byte[] internalKey) {
        if (currentUserKey == null || InternalKey.compareToUserKey(internalKey, currentUserKey) != 0) {
            currentUserKey = InternalKey.userKey(internalKey);
            seenNewer = false;
        }
        long sequence = InternalKey.sequence(internalKey);
        boolean drop;
        if (seenNewer && !snapshotBetween(sequence, newerSequence)) {
            drop = true;
        } else {
            drop = sequence <= smallestSnapshot && InternalKey.kind(internalKey) == ValueKind.DELETION
                    && noOlderDataBelow.test(currentUserKey);
        }
        newerSequence = sequence;
        seenNewer = true;
        if (drop) {
            dropped++;
        }
        return !drop;
    }

    /** True if a snapshot s has from <= s < until: it sees the entry at {@code from}, not the one at {@code until}. */
    private boolean snapshotBetween(long from, long until) {
        int i = Arrays.binarySearch(snapshots, from);
        int first = i >= 0 ? i : -i - 1;
        return first < snapshots.length && snapshots[first] < until;
    }

    /** Entries dropped so far. */
    public long dropped() {
        return dropped;
    }
}
