package dev.lamina.store.vlog;

/** How much a value read from the value log is checked. */
public enum ChecksumLevel {
    /** Read the value bytes only. */
    OFF,
    /** Check the entry's stored lengths, key and checksum against the pointer (no CRC computed). */
    HEADER,
    /** As HEADER, and recompute the CRC over the whole entry. */
    FULL
}
