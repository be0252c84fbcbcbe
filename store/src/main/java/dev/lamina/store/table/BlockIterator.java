package dev.lamina.store.table;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.util.ByteReader;
import java.util.Arrays;

/**
 * Bidirectional cursor over one {@link Block}. Seeks binary-search the restart points, then scan forward;
 * {@link #prev()} rescans from the restart point before the current entry, so it costs at most one restart
 * interval of decoding. Every entry is bounds-checked as it is decoded; malformed bytes raise
 * {@link CorruptionException} naming the block, and every step moves strictly forward, so garbage cannot loop.
 * Keys handed out are fresh arrays that later moves do not change.
 */
final class BlockIterator implements InternalIterator {
    private final Block block;
    private final byte[] data;
    private final int entriesEnd;

    /** Offset of the current entry; {@code entriesEnd} when the iterator is not positioned on an entry. */
    private int current;
    private int nextEntry;
    /** The restart region holding the current entry. */
    private int restartIndex;
    private byte[] key;
    private int valueOffset;
    private int valueLength;
    /** The current value, copied out of the block on first request. */
    private byte[] value;

    BlockIterator(Block block) {
        this.block = block;
        this.data = block.contents();
        this.entriesEnd = block.entriesEnd();
        this.current = entriesEnd;
    }

    @Override
    public boolean isValid() {
        return current < entriesEnd;
    }

    @Override
    public void seekToFirst() {
        if (block.isEmpty()) {
            invalidate();
            return;
        }
        seekToRestart(0);
    }

    @Override
    public void seekToLast() {
        if (block.isEmpty()) {
            invalidate();
            return;
        }
        seekToRestart(block.restartCount() - 1);
        while (nextEntry < entriesEnd) {
            decodeNext();
        }
    }

    @Override
    public void seek(byte[] target) {
        if (block.isEmpty()) {
            invalidate();
            return;
        }
        // Find the last restart point whose key is before the target; the target is at or after it.
        int low = 0;
        int high = block.restartCount() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            seekToRestart(mid);
            if (InternalKey.compare(key, target) < 0) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        seekToRestart(low);
        while (isValid() && InternalKey.compare(key, target) < 0) {
            next();
        }
    }

    @Override
    public void next() {
        requireValid();
        if (nextEntry >= entriesEnd) {
            invalidate();
            return;
        }
        decodeNext();
    }

    @Override
    public void prev() {
        requireValid();
        int target = current;
        int region = restartIndex;
        while (block.restartOffset(region) >= target) {
            if (region == 0) {
                invalidate();
                return;
            }
            region--;
        }
        seekToRestart(region);
        while (nextEntry < target) {
            decodeNext();
        }
    }

    @Override
    public byte[] key() {
        requireValid();
        return key;
    }

    @Override
    public byte[] value() {
        requireValid();
        if (value == null) {
            value = Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
        }
        return value;
    }

    @Override
    public void close() {
        invalidate();
    }

    private void requireValid() {
        if (!isValid()) {
            throw new IllegalStateException("iterator is not positioned on an entry");
        }
    }

    private void invalidate() {
        current = entriesEnd;
        nextEntry = entriesEnd;
        key = null;
        value = null;
    }

    private void seekToRestart(int index) {
        restartIndex = index;
        key = null;
        decodeAt(block.restartOffset(index));
    }

    /** Decodes the entry after the current one, which may be in the next restart region. */
    private void decodeNext() {
        int offset = nextEntry;
        while (restartIndex + 1 < block.restartCount() && block.restartOffset(restartIndex + 1) <= offset) {
            restartIndex++;
        }
        decodeAt(offset);
    }

    /** Decodes the entry at {@code offset}, sharing a prefix with {@code key} (null at a restart point). */
    private void decodeAt(int offset) {
        byte[] previousKey = key;
        try {
            ByteReader in = new ByteReader(data, offset, entriesEnd - offset);
            int shared = in.readVarint32();
            int unshared = in.readVarint32();
            int length = in.readVarint32();
            int previousLength = previousKey == null ? 0 : previousKey.length;
            if (shared > previousLength) {
                throw new CorruptionException("entry shares " + shared + " key bytes with a previous key of "
                        + previousLength);
            }
            int unsharedStart = in.position();
            in.skip(unshared);
            int valueStart = in.position();
            in.skip(length);
            // Both lengths are now known to lie inside the block, so this allocation is bounded by it.
            byte[] newKey = new byte[shared + unshared];
            if (shared > 0) {
                System.arraycopy(previousKey, 0, newKey, 0, shared);
            }
            System.arraycopy(data, unsharedStart, newKey, shared, unshared);
            InternalKey.check(newKey);
            ValueKind.fromCode(newKey[newKey.length - InternalKey.TRAILER_SIZE] & 0xff);
            key = newKey;
            value = null;
            valueOffset = valueStart;
            valueLength = length;
            current = offset;
            nextEntry = in.position();
        } catch (CorruptionException e) {
            invalidate();
            throw block.corruption("malformed block entry at block offset " + offset + ": " + e.getMessage(), e);
        }
    }
}
