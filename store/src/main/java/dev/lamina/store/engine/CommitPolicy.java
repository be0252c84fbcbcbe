package dev.lamina.store.engine;

/**
 * What a commit does with each memtable of the queue, oldest first: the writes of each must be durable before the
 * commit record is, either in the log or in the memtable's table. One decision per memtable, from facts the entry
 * holds; no files, so it is tested on its own.
 */
final class CommitPolicy {
    /** The step for one memtable. */
    enum Step {
        /** Nothing to make durable. */
        NOTHING,
        /** Append the newest of each key it holds to the log. */
        LOG,
        /** Wait until its table is installed (its flush is under way); log its writes if the flush fails. */
        AWAIT_FLUSH,
        /** The mutable memtable: switch it, then wait for its flush as above. */
        SWITCH_AND_AWAIT_FLUSH
    }

    private CommitPolicy() {
    }

    /**
     * The step for {@code entry}. {@code mutable}: it is the memtable writes go to; {@code roomToSwitch}: a flush
     * slot is free and level 0 is below its stop trigger, so switching it would not wait.
     *
     * <ul>
     * <li>Writes made without the log (a restore) are durable only in a table: wait for it, switching the mutable
     * memtable first even without room.</li>
     * <li>An immutable memtable whose writes are mostly values bound for the value log: its flush, already under way,
     * writes those bytes once; logging them would write them twice ({@link UncommittedWrites#mostlyValueLogBytes}).
     * </li>
     * <li>The mutable memtable, once it holds a quarter of a write buffer of such values, likewise, if it can switch
     * without waiting: a commit never waits for room ({@link UncommittedWrites#worthAFlushAtCommit}).</li>
     * <li>Otherwise its unlogged writes, if any, are logged: for small values the log is the cheaper copy.</li>
     * </ul>
     * Called under the engine's write lock (the decision may prune the entry's writes to the newest of each key).
     */
    static Step decide(MemtableEntry entry, boolean mutable, boolean roomToSwitch) {
        if (entry.holdsRestoredWrites()) {
            return mutable ? Step.SWITCH_AND_AWAIT_FLUSH : Step.AWAIT_FLUSH;
        }
        UncommittedWrites writes = entry.unlogged;
        if (writes.isEmpty()) {
            return Step.NOTHING;
        }
        if (!mutable) {
            return writes.mostlyValueLogBytes() ? Step.AWAIT_FLUSH : Step.LOG;
        }
        return roomToSwitch && writes.worthAFlushAtCommit() ? Step.SWITCH_AND_AWAIT_FLUSH : Step.LOG;
    }

    /**
     * Whether to log the mutable memtable's unlogged writes now, on a background thread, rather than leave them all to
     * the next commit: once they reach {@code minBytes}, unless they are
     * {@linkplain UncommittedWrites#mostlyValueLogBytes mostly value-log bytes} (a flush writes those), and only when
     * commits come often enough that the next one will find them unflushed: the bytes written between the last two
     * commits fit in the room the memtable has left. A store that commits rarely (or not yet twice) fills its memtable
     * first, and its flush makes the writes durable without a log.
     */
    static boolean logAhead(UncommittedWrites writes, long minBytes, long bytesBetweenLastCommits, long roomLeft) {
        return writes.bytes() >= minBytes && bytesBetweenLastCommits < roomLeft && !writes.mostlyValueLogBytes();
    }
}
