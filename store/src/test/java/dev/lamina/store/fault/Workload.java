package dev.lamina.store.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * A scripted workload: a list of steps that a {@link WorkloadRunner} executes in order. Built by {@link #builder()};
 * new kinds of step (compaction, say) are added as new {@link Kind}s and handled by the runner, and every fault test
 * then walks them too.
 */
public final class Workload {
    /** What a step does. */
    public enum Kind {
        /** Write batch {@code batch} ({@link Batches#batch}). */
        WRITE,
        /**
         * Apply batch {@code batch} without the write-ahead log, as a restore from a Kafka changelog does: durable
         * only once the next commit returns.
         */
        RESTORE,
        /** Commit with metadata {@code batch}: everything up to that batch must survive any crash after this. */
        COMMIT,
        /** Flush the memtable to a table. */
        FLUSH,
        /** Close and open the store again. */
        REOPEN,
        /** Read everything and compare it with the model of the batches written so far. */
        CHECK
    }

    /** One step; {@code batch} is the batch written or committed, 0 for the other kinds. */
    public record Step(Kind kind, long batch) {
        @Override
        public String toString() {
            return batch == 0 ? kind.toString() : kind + " " + batch;
        }
    }

    private final List<Step> steps;

    private Workload(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    public List<Step> steps() {
        return steps;
    }

    public long lastBatch() {
        long last = 0;
        for (Step s : steps) {
            if (s.kind() == Kind.WRITE || s.kind() == Kind.RESTORE) {
                last = s.batch();
            }
        }
        return last;
    }

    /** The metadata of the last commit at or before batch {@code n} in this script (0 if none). */
    public long commitAtOrBefore(long n) {
        long c = 0;
        for (Step s : steps) {
            if (s.kind() == Kind.COMMIT && s.batch() <= n) {
                c = s.batch();
            }
        }
        return c;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes batches {@code 1..batches}; after batch {@code i} it commits when {@code i % commitEvery == 0}, then
     * flushes when {@code i % flushEvery == 0}, then reopens when {@code i % reopenEvery == 0} (a CHECK follows each
     * flush and reopen). Ends with {@code tail} uncommitted batches after the last one.
     */
    public static final class Builder {
        private int batches = 200;
        private int commitEvery = 10;
        private int flushEvery = Integer.MAX_VALUE;
        private int reopenEvery = Integer.MAX_VALUE;
        private int tail;
        private int restored;
        private boolean checks = true;

        /**
         * Starts with batches {@code 1..n} restored without the log and committed, as a Kafka Streams task does
         * before it processes; the written batches follow from {@code n + 1}.
         */
        public Builder restored(int n) {
            restored = n;
            return this;
        }

        public Builder batches(int n) {
            batches = n;
            return this;
        }

        public Builder commitEvery(int n) {
            commitEvery = n;
            return this;
        }

        public Builder flushEvery(int n) {
            flushEvery = n;
            return this;
        }

        public Builder reopenEvery(int n) {
            reopenEvery = n;
            return this;
        }

        public Builder uncommittedTail(int n) {
            tail = n;
            return this;
        }

        public Builder checks(boolean on) {
            checks = on;
            return this;
        }

        public Workload build() {
            List<Step> steps = new ArrayList<>();
            for (int i = 1; i <= restored; i++) {
                steps.add(new Step(Kind.RESTORE, i));
            }
            if (restored > 0) {
                steps.add(new Step(Kind.COMMIT, restored));
                addCheck(steps);
            }
            for (int i = restored + 1; i <= batches + tail; i++) {
                steps.add(new Step(Kind.WRITE, i));
                if (i > batches) {
                    continue;
                }
                if (i % commitEvery == 0) {
                    steps.add(new Step(Kind.COMMIT, i));
                }
                if (i % flushEvery == 0) {
                    steps.add(new Step(Kind.FLUSH, 0));
                    addCheck(steps);
                }
                if (i % reopenEvery == 0) {
                    steps.add(new Step(Kind.REOPEN, 0));
                    addCheck(steps);
                }
            }
            return new Workload(steps);
        }

        private void addCheck(List<Step> steps) {
            if (checks) {
                steps.add(new Step(Kind.CHECK, 0));
            }
        }
    }
}
