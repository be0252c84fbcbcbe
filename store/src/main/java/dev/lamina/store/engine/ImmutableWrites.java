package dev.lamina.store.engine;

import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.wal.WriteAheadLog;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of each immutable memtable made since the commit before its switch. The next commit makes them durable
 * if the memtable's flush has not landed yet: it logs them, or, for a memtable holding mostly values bound for the
 * value log, it waits for the flush (which writes those bytes once, where logging would write them twice). Not
 * thread-safe: the engine calls it under its write lock.
 */
final class ImmutableWrites {
    private final Map<MemTable, UncommittedWrites> writes = new IdentityHashMap<>();

    /** At a switch: forgets the memtables flushed since (those not in {@code imms}) and takes {@code mem}'s writes. */
    void switched(MemTable mem, UncommittedWrites memWrites, List<MemTable> imms) {
        writes.keySet().retainAll(imms);
        if (!memWrites.isEmpty()) {
            writes.put(mem, memWrites);
        }
    }

    /**
     * The sequence a commit waits to see flushed before it logs the rest: the largest of the memtables among
     * {@code imms} whose writes are mostly value-log values ({@link UncommittedWrites#mostlyValueLogBytes}), or -1.
     */
    long sequenceToAwait(List<MemTable> imms) {
        long target = -1;
        for (MemTable imm : imms) {
            UncommittedWrites w = writes.get(imm);
            if (w != null && w.mostlyValueLogBytes()) {
                target = Math.max(target, imm.largestSequence());
            }
        }
        return target;
    }

    /**
     * Logs the writes of the memtables among {@code imms} (those still waiting for their flush), oldest first, and
     * forgets every memtable's. If a flush lands meanwhile, replay finds the writes in its table as well: harmless.
     */
    void appendTo(WriteAheadLog wal, List<MemTable> imms) {
        for (MemTable imm : imms) {
            UncommittedWrites w = writes.get(imm);
            if (w != null) {
                w.appendNewest(wal);
            }
        }
        writes.clear();
    }
}
