package dev.lamina.store.version;

/**
 * A value-log file as a version knows it: its size, and how many of its bytes are garbage (entries whose pointers
 * compaction dropped or replaced). The garbage count is persisted in the manifest, so it survives a restart.
 */
public record VlogFileState(long number, long size, long entries, long garbageBytes) {

    /** Garbage bytes over the bytes of entries (the header does not count). */
    public double garbageRatio() {
        long entryBytes = size - dev.lamina.store.vlog.VlogFormat.HEADER_SIZE;
        return entryBytes <= 0 ? 0 : Math.min(1.0, garbageBytes / (double) entryBytes);
    }

    public long liveBytes() {
        return Math.max(0, size - dev.lamina.store.vlog.VlogFormat.HEADER_SIZE - garbageBytes);
    }

    VlogFileState plusGarbage(long bytes) {
        return new VlogFileState(number, size, entries, garbageBytes + bytes);
    }
}
