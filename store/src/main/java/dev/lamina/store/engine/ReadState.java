package dev.lamina.store.engine;

import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.version.Version;
import java.util.List;

/**
 * What a read looks at, published as one volatile reference so that a reader never sees a memtable already gone
 * to a table together with a version that does not yet hold that table. {@code imms} are the immutable memtables
 * waiting for their flush, oldest first (an unmodifiable list).
 */
record ReadState(MemTable mem, List<MemTable> imms, Version version) {
    /** Entries in the memtables. */
    long memtableEntries() {
        long n = mem.entryCount();
        for (MemTable imm : imms) {
            n += imm.entryCount();
        }
        return n;
    }

    /** Heap bytes held by the memtables. */
    long memtableBytes() {
        long n = mem.memoryUsage();
        for (MemTable imm : imms) {
            n += imm.memoryUsage();
        }
        return n;
    }
}
