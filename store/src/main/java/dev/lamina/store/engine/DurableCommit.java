package dev.lamina.store.engine;

/**
 * The metadata of the latest acknowledged commit. Concurrent commits finish their shared fsync in any order; the one
 * whose record is furthest along the WAL wins.
 */
final class DurableCommit {
    private long position = -1;
    private byte[] metadata;

    DurableCommit(byte[] recovered) {
        this.metadata = recovered;
    }

    /** Called once the commit record at {@code position} is on stable storage. */
    synchronized void acknowledged(long position, byte[] metadata) {
        if (position > this.position) {
            this.position = position;
            this.metadata = metadata;
        }
    }

    /** A copy of the latest acknowledged metadata, or null. */
    synchronized byte[] metadata() {
        return metadata == null ? null : metadata.clone();
    }
}
