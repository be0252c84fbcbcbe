package dev.lamina.store.version;

import dev.lamina.store.key.InternalKey;

/**
 * A table file of a version: its number, size, key range (internal keys, inclusive), entry count, and the
 * value-log files its pointers refer to (sorted, distinct; empty when every value is inline). Immutable; shared
 * between versions.
 */
public record FileMetaData(long number, long size, byte[] smallest, byte[] largest, long entries, long[] vlogRefs) {
    private static final long[] NONE = new long[0];

    public FileMetaData(long number, long size, byte[] smallest, byte[] largest, long entries) {
        this(number, size, smallest, largest, entries, NONE);
    }

    /** True if the file's user-key range may contain {@code userKey}. */
    public boolean covers(byte[] userKey) {
        return InternalKey.compareToUserKey(smallest, userKey) <= 0 && InternalKey.compareToUserKey(largest, userKey) >= 0;
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
                + InternalKey.describe(largest) + "]";
    }
}
