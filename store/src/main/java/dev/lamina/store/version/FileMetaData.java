package dev.lamina.store.version;

import dev.lamina.store.key.InternalKey;

/**
 * A table file of a version: its number, size and key range (internal keys, inclusive).
 * Immutable; shared between versions.
 */
public record FileMetaData(long number, long size, byte[] smallest, byte[] largest, long entries) {

    /** True if the file's user-key range may contain {@code userKey}. */
    public boolean covers(byte[] userKey) {
        return InternalKey.compareToUserKey(smallest, userKey) <= 0 && InternalKey.compareToUserKey(largest, userKey) >= 0;
    }

    @Override
    public String toString() {
        return FileNames.table(number) + "[" + size + " bytes, " + InternalKey.describe(smallest) + " .. "
                + InternalKey.describe(largest) + "]";
    }
}
