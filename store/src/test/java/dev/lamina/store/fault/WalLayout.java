package dev.lamina.store.fault;

import dev.lamina.store.WriteBatch;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.log.LogReader;
import dev.lamina.store.wal.WalRecord;
import dev.lamina.store.wal.WalRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the records of an intact write-ahead log start and what each means to the oracle (the batch it writes, or
 * the commit it records), so that the states a damaged copy may legitimately recover to can be worked out.
 */
final class WalLayout {
    /**
     * A record starting at {@code offset}: batch {@code batch} (0 if a commit) or commit {@code commit}. An entries
     * record ({@code ofCommit}) counts only once the commit record after it is in.
     */
    record Entry(long offset, long batch, long commit, boolean ofCommit) {
    }

    final List<Entry> entries = new ArrayList<>();
    final long size;

    WalLayout(Path log) {
        try (ReadableFile file = NioFileSystem.instance().openReadable(log); LogReader reader = new LogReader(file)) {
            size = file.size();
            for (byte[] payload = reader.readRecord(); payload != null; payload = reader.readRecord()) {
                WalRecord record = WalRecords.decode(payload);
                if (record instanceof WalRecord.Batch b) {
                    entries.add(new Entry(reader.lastRecordOffset(), counterOf(b.batch()), 0, false));
                } else if (record instanceof WalRecord.Entries e) {
                    entries.add(new Entry(reader.lastRecordOffset(), counterOf(e.batch()), 0, true));
                } else {
                    entries.add(new Entry(reader.lastRecordOffset(), 0, Batches.decode(((WalRecord.Commit) record)
                            .metadata()), false));
                }
            }
            if (reader.droppedBytes() != 0) {
                throw new IllegalStateException("fixture log " + log + " is not intact");
            }
        }
    }

    private static long counterOf(WriteBatch batch) {
        long[] n = {0};
        batch.forEach(new WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                if (Arrays.equals(key, Batches.COUNTER)) {
                    n[0] = Batches.decode(value);
                }
            }

            @Override
            public void delete(byte[] key) {
            }
        });
        return n[0];
    }

    /** Records that certainly survive a cut at {@code length}: the next record starts at or before it. */
    int completeBefore(long length) {
        if (length >= size) {
            return entries.size();
        }
        int c = 0;
        while (c + 1 < entries.size() && entries.get(c + 1).offset() <= length) {
            c++;
        }
        return c;
    }

    /** Records that may survive a cut at {@code length}: they start before it. */
    int startedBefore(long length) {
        int c = 0;
        while (c < entries.size() && entries.get(c).offset() < length) {
            c++;
        }
        return c;
    }

    /** The store after the first {@code count} records, given what the tables held before the log. */
    StoreVerifier.Found stateAfter(int count, StoreVerifier.Found before) {
        long batch = before.batch();
        long commit = before.commit();
        long pending = 0;
        for (Entry e : entries.subList(0, count)) {
            if (e.ofCommit()) {
                pending = Math.max(pending, e.batch());
            } else if (e.batch() != 0) {
                batch = e.batch();
            } else {
                batch = Math.max(batch, pending);
                pending = 0;
                commit = e.commit();
            }
        }
        return new StoreVerifier.Found(batch, commit);
    }

    long lastRecordOffset() {
        return entries.isEmpty() ? size : entries.get(entries.size() - 1).offset();
    }
}
