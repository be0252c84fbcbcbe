package dev.lamina.store.engine;

import dev.lamina.store.Snapshot;
import java.util.TreeMap;

/** Sequences of the open snapshots, so compaction can keep every version one of them sees. */
final class SnapshotList {
    private final TreeMap<Long, Integer> counts = new TreeMap<>();

    synchronized Snapshot open(long sequence, Runnable checkOpen) {
        counts.merge(sequence, 1, Integer::sum);
        return new EngineSnapshot(sequence, this, checkOpen);
    }

    synchronized void release(long sequence) {
        counts.computeIfPresent(sequence, (k, n) -> n == 1 ? null : n - 1);
    }

    /** The sequences of the open snapshots, ascending. */
    synchronized long[] sequences() {
        return counts.keySet().stream().mapToLong(Long::longValue).toArray();
    }

    /** A snapshot handle; closing it twice is harmless. */
    static final class EngineSnapshot implements Snapshot {
        private final long sequence;
        private final SnapshotList owner;
        private final Runnable checkOpen;
        private boolean closed;

        private EngineSnapshot(long sequence, SnapshotList owner, Runnable checkOpen) {
            this.sequence = sequence;
            this.owner = owner;
            this.checkOpen = checkOpen;
        }

        @Override
        public long sequence() {
            return sequence;
        }

        boolean belongsTo(SnapshotList list) {
            return owner == list;
        }

        boolean isClosed() {
            synchronized (owner) {
                return closed;
            }
        }

        /** Throws if the store or the snapshot is closed. */
        void checkUsable() {
            checkOpen.run();
            if (isClosed()) {
                throw new IllegalStateException("snapshot at sequence " + sequence + " is closed");
            }
        }

        @Override
        public void close() {
            synchronized (owner) {
                if (closed) {
                    return;
                }
                closed = true;
                owner.release(sequence);
            }
        }

        @Override
        public String toString() {
            return "Snapshot{sequence=" + sequence + "}";
        }
    }
}
