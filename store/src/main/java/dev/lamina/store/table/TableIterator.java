package dev.lamina.store.table;

import dev.lamina.store.iter.InternalIterator;

/**
 * Two-level iterator over a table: a position in the index selects a data block, a {@link BlockIterator} moves
 * inside it. Empty blocks, which a writer never produces but a reader tolerates, are skipped in both directions.
 * One thread at a time.
 */
final class TableIterator implements InternalIterator {
    private final TableReader table;
    private final TableIndex index;
    private int blockNumber = -1;
    /** Iterator of data block {@code blockNumber}; null when unpositioned. */
    private BlockIterator entries;

    TableIterator(TableReader table, TableIndex index) {
        this.table = table;
        this.index = index;
    }

    @Override
    public boolean isValid() {
        return entries != null && entries.isValid();
    }

    @Override
    public void seekToFirst() {
        if (openBlock(0)) {
            entries.seekToFirst();
        }
        skipEmptyBlocksForward();
    }

    @Override
    public void seekToLast() {
        if (openBlock(index.blockCount() - 1)) {
            entries.seekToLast();
        }
        skipEmptyBlocksBackward();
    }

    @Override
    public void seek(byte[] internalKey) {
        if (openBlock(index.findBlock(internalKey))) {
            entries.seek(internalKey);
        }
        skipEmptyBlocksForward();
    }

    @Override
    public void next() {
        requireValid();
        entries.next();
        skipEmptyBlocksForward();
    }

    @Override
    public void prev() {
        requireValid();
        entries.prev();
        skipEmptyBlocksBackward();
    }

    @Override
    public byte[] key() {
        requireValid();
        return entries.key();
    }

    @Override
    public byte[] value() {
        requireValid();
        return entries.value();
    }

    @Override
    public void close() {
        entries = null;
        blockNumber = -1;
    }

    private void requireValid() {
        if (!isValid()) {
            throw new IllegalStateException("iterator is not positioned on an entry");
        }
    }

    /** Positions on data block {@code number}; false (and unpositioned) when there is no such block. */
    private boolean openBlock(int number) {
        if (number < 0 || number >= index.blockCount()) {
            entries = null;
            blockNumber = -1;
            return false;
        }
        if (number != blockNumber || entries == null) {
            entries = table.dataBlock(number).newIterator();
            blockNumber = number;
        }
        return true;
    }

    private void skipEmptyBlocksForward() {
        while (entries != null && !entries.isValid()) {
            if (openBlock(blockNumber + 1)) {
                entries.seekToFirst();
            }
        }
    }

    private void skipEmptyBlocksBackward() {
        while (entries != null && !entries.isValid()) {
            if (openBlock(blockNumber - 1)) {
                entries.seekToLast();
            }
        }
    }
}
