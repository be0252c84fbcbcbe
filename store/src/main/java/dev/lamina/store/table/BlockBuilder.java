package dev.lamina.store.table;

import dev.lamina.store.util.ByteWriter;
import java.util.Arrays;

/**
 * Builds one block: prefix-compressed entries, then the restart offsets (fixed32 each) and their count (fixed32).
 * Keys are stored against the previous key as {@code [shared][unshared][value length][unshared key bytes][value]};
 * every {@code restartInterval} entries the full key is stored (shared = 0) and its offset recorded, so that a
 * reader can binary-search the restart points and decode from any of them. The caller orders the keys.
 */
final class BlockBuilder {
    private final int restartInterval;
    private final ByteWriter entries = new ByteWriter(8 * 1024);
    private final ByteWriter restarts = new ByteWriter(256);
    private int restartCount;
    private int entriesSinceRestart;
    private byte[] lastKey = new byte[0];
    private int entryCount;

    BlockBuilder(int restartInterval) {
        if (restartInterval < 1) {
            throw new IllegalArgumentException("restart interval must be at least 1");
        }
        this.restartInterval = restartInterval;
        this.entriesSinceRestart = restartInterval;
    }

    void add(byte[] key, byte[] value) {
        int shared = 0;
        if (entriesSinceRestart >= restartInterval) {
            restarts.writeFixed32(entries.size());
            restartCount++;
            entriesSinceRestart = 0;
        } else {
            shared = sharedPrefixLength(lastKey, key);
        }
        entries.writeVarint32(shared);
        entries.writeVarint32(key.length - shared);
        entries.writeVarint32(value.length);
        entries.writeBytes(key, shared, key.length - shared);
        entries.writeBytes(value);
        lastKey = key;
        entriesSinceRestart++;
        entryCount++;
    }

    private static int sharedPrefixLength(byte[] a, byte[] b) {
        int mismatch = Arrays.mismatch(a, b);
        return mismatch < 0 ? a.length : mismatch;
    }

    /** Size the block would have if finished now. */
    int estimatedSize() {
        return entries.size() + restarts.size() + 4;
    }

    boolean isEmpty() {
        return entryCount == 0;
    }

    /** The last key added; the caller must not modify it. */
    byte[] lastKey() {
        return lastKey;
    }

    /**
     * Appends the restart array and returns the finished block. The writer's {@link ByteWriter#array()} is valid up
     * to its size until {@link #reset()}.
     */
    ByteWriter finish() {
        entries.writeBytes(restarts.array(), 0, restarts.size());
        entries.writeFixed32(restartCount);
        return entries;
    }

    void reset() {
        entries.reset();
        restarts.reset();
        restartCount = 0;
        entriesSinceRestart = restartInterval;
        lastKey = new byte[0];
        entryCount = 0;
    }
}
