package dev.lamina.store.engine;

import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.version.Version;

/**
 * What a read looks at, published as one volatile reference so that a reader never sees a memtable already gone
 * to a table together with a version that does not yet hold that table.
 */
record ReadState(MemTable mem, MemTable imm, Version version) {
}
