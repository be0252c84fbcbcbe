package dev.lamina.store.version;

import dev.lamina.store.key.InternalKey;
import java.util.Comparator;

/**
 * A table file of a version: its number, size, key range (internal keys, inclusive), entry count, the value-log
 * files its pointers refer to (sorted, distinct; empty when every value is inline), and the range of sequence
 * numbers its entries carry. Level 0 orders its tables by that range, so a table's place does not depend on when its
 * number was taken. Tables recorded before the range was kept have the range 0..0, older than any table with one.
 * Immutable; shared between versions.
 */
public record FileMetaData(long number, long size, byte[] smallest, byte[] largest, long entries, long[] vlogRefs,
        long smallestSequence, long largestSequence) {
    private static final long[] NONE = new long[0];

    /** Orders level 0 oldest first: by largest sequence, then (for tables without a range) by number. */
    public static final Comparator<FileMetaData> OLDEST_FIRST =
            Comparator.comparingLong(FileMetaData::largestSequence).thenComparingLong(FileMetaData::number);

    /** A table without value-log references whose entries carry sequences {@code smallestSequence..largestSequence}. */
    public FileMetaData(long number, long size, byte[] smallest, byte[] largest, long entries, long smallestSequence,
            long largestSequence) {
        this(number, size, smallest, largest, entries, NONE, smallestSequence, largestSequence);
    }

    /** True if the file's user-key range may contain {@code userKey}. */
    public boolean covers(byte[] userKey) {
        return InternalKey.compareToUserKey(smallest, userKey) <= 0
                && InternalKey.compareToUserKey(largest, userKey) >= 0;
    }

    /** True if one of this table's pointers may refer to value-log file {@code vlogNumber}. */
    public boolean references(long vlogNumber) {
        for (long n : vlogRefs) {
            if (n == vlogNumber) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return FileNames.table(number) + "[" + size + " bytes, " + InternalKey.describe(smallest) + " .. "
                + InternalKey.describe(largest) + ", sequences " + smallestSequence + ".." + largestSequence + "]";
    }
}
