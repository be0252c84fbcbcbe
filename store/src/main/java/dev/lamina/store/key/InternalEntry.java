package dev.lamina.store.key;

/** One stored entry: an internal key and the bytes stored with it (empty for a deletion). */
public record InternalEntry(byte[] key, byte[] value) {

    public ValueKind kind() {
        return InternalKey.kind(key);
    }

    public long sequence() {
        return InternalKey.sequence(key);
    }
}
