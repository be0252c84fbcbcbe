package dev.lamina.store.wal;

import dev.lamina.store.WriteBatch;
import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded write-ahead log record: a batch of writes, the entries of a commit, or a commit marker with the caller's
 * metadata.
 */
public sealed interface WalRecord {

    /**
     * A write batch whose operations carry consecutive sequence numbers starting at {@code firstSequence}.
     *
     * @param firstSequence sequence number of the batch's first operation
     * @param batch         the operations, in order
     */
    record Batch(long firstSequence, WriteBatch batch) implements WalRecord {
        public Batch {
            Objects.requireNonNull(batch, "batch");
        }

        /** Sequence of the batch's last operation ({@code firstSequence - 1} for an empty batch). */
        public long lastSequence() {
            return firstSequence + batch.count() - 1;
        }
    }

    /**
     * A commit: every write up to and including {@code lastSequence} belongs to the committed state described by
     * {@code metadata} (opaque to the engine; the Kafka Streams integration stores changelog offsets there).
     *
     * @param lastSequence the last sequence number written before this commit
     * @param metadata     opaque bytes, possibly empty; not copied
     */
    record Commit(long lastSequence, byte[] metadata) implements WalRecord {
        public Commit {
            Objects.requireNonNull(metadata, "metadata");
        }

        /** Compares metadata by content: a record's default equality would compare array identity. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Commit c && c.lastSequence == lastSequence && Arrays.equals(c.metadata, metadata);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(lastSequence) * 31 + Arrays.hashCode(metadata);
        }

        @Override
        public String toString() {
            return "Commit[lastSequence=" + lastSequence + ", metadata=" + metadata.length + " bytes]";
        }
    }

    /**
     * Entries logged at a commit, each with its own sequence: operation {@code i} of {@code batch} has sequence
     * {@code sequences[i]}. They belong to the commit record that follows them and are applied only with it.
     *
     * @param sequences one sequence per operation, in the batch's order; not copied
     * @param batch     the operations
     */
    record Entries(long[] sequences, WriteBatch batch) implements WalRecord {
        public Entries {
            Objects.requireNonNull(sequences, "sequences");
            Objects.requireNonNull(batch, "batch");
            if (sequences.length != batch.count()) {
                throw new IllegalArgumentException(sequences.length + " sequences for " + batch.count() + " entries");
            }
        }

        /** The largest sequence of the entries, or -1 if there are none. */
        public long largestSequence() {
            long max = -1;
            for (long s : sequences) {
                max = Math.max(max, s);
            }
            return max;
        }

        @Override
        public String toString() {
            return "Entries[" + sequences.length + " entries]";
        }
    }
}
