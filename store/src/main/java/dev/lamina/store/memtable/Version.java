package dev.lamina.store.memtable;

/**
 * One version of a key in a memtable: its trailer ({@code sequence << 8 | kind}) and the bytes stored with it.
 * Versions of a key form a chain, newest first. {@code next} is written before the version is published and changed
 * afterwards only on a memtable no reader sees yet (recovery, a compacted copy), where an older version can arrive
 * after a newer one.
 */
final class Version {
    final long trailer;
    final byte[] value;
    volatile Version next;

    Version(long trailer, byte[] value, Version next) {
        this.trailer = trailer;
        this.value = value;
        this.next = next;
    }

    long sequence() {
        return trailer >>> 8;
    }
}
