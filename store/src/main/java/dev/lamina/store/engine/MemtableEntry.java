package dev.lamina.store.engine;

import dev.lamina.store.LaminaOptions;
import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.version.VersionEdit;

/**
 * One memtable of the engine's queue (the immutable ones oldest first, then the mutable one) with the facts that a
 * commit and a flush need about it, kept together:
 * <ul>
 * <li>the writes a commit must still log ({@link #unlogged}) and whether it holds writes made without the log
 * (a restore), which only its table makes durable;</li>
 * <li>from its switch on: the log the engine continued in and the last commit appended before it, which its flush's
 * version edit records;</li>
 * <li>how far its flush got, until its table is installed.</li>
 * </ul>
 * The write-facing fields are guarded by the engine's write lock; the flush progress by its {@code flushMonitor}.
 */
final class MemtableEntry {
    final MemTable mem;
    /** Writes not yet logged by a commit (write lock). */
    final UncommittedWrites unlogged;
    /** It holds writes made without the log (write lock). */
    private boolean holdsRestoredWrites;

    /** Set at the switch: the log the engine continued in, and the last commit appended before the switch. */
    private long nextLogNumber = -1;
    private byte[] commitAtSwitch;

    // Flush progress (flushMonitor).
    boolean running;
    /** Files written and synced, not yet installed: the writer and the edit that installs them. */
    EntryWriter written;
    VersionEdit edit;
    long startNanos;
    /** Its table is installed and it has left the queue. */
    boolean installed;

    private MemtableEntry(MemTable mem, UncommittedWrites unlogged, boolean holdsRestoredWrites) {
        this.mem = mem;
        this.unlogged = unlogged;
        this.holdsRestoredWrites = holdsRestoredWrites;
    }

    /** A new, empty mutable memtable. */
    static MemtableEntry empty(LaminaOptions options) {
        MemTable mem = new MemTable(options.valueThreshold());
        return new MemtableEntry(mem, new UncommittedWrites(mem, options), false);
    }

    /** The mutable entry with its memtable replaced by a compacted copy; its writes to log and restores stay. */
    MemtableEntry withMemtable(MemTable compacted, LaminaOptions options) {
        compacted.carryUnloggedFrom(mem);
        return new MemtableEntry(compacted, new UncommittedWrites(compacted, options), holdsRestoredWrites);
    }

    /** Records a write made without the log (write lock). */
    void restored() {
        holdsRestoredWrites = true;
    }

    /** Whether it holds writes made without the log: a commit must see its table installed first. */
    boolean holdsRestoredWrites() {
        return holdsRestoredWrites;
    }

    /** Whether a crash now would lose writes a close should keep: logged writes not yet logged, or restores. */
    boolean holdsWritesOnlyInMemory() {
        return !unlogged.isEmpty() || holdsRestoredWrites();
    }

    /** Called at the switch that makes it immutable. */
    void switched(long nextLogNumber, byte[] commitAtSwitch) {
        this.nextLogNumber = nextLogNumber;
        this.commitAtSwitch = commitAtSwitch;
    }

    long nextLogNumber() {
        return nextLogNumber;
    }

    /** The last commit appended before the switch, or null. */
    byte[] commitAtSwitch() {
        return commitAtSwitch;
    }

    boolean flushStarted() {
        return running || written != null;
    }
}
