package dev.lamina.store.engine;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.LaminaIterator;
import dev.lamina.store.Snapshot;
import dev.lamina.store.StoreClosedException;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.iter.MergingIterator;
import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.version.Version;
import dev.lamina.store.vlog.ValuePointer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The read path: point reads, iterators and snapshots. Readers take no lock: they pin the version of the
 * engine's current {@link ReadState} and look in the memtable, the immutable memtable, then the tables; values in
 * the value log are read while the version is still pinned, so their files cannot be deleted under the read.
 */
final class ReadPath {
    private final Engine engine;
    private final SnapshotList snapshots = new SnapshotList();
    private final Set<EngineIterator> iterators = ConcurrentHashMap.newKeySet();
    private final ValueResolver values = this::resolve;

    ReadPath(Engine engine) {
        this.engine = engine;
    }

    byte[] get(byte[] key, Snapshot snapshot) {
        engine.checkOpen();
        // Pin first: a memtable compacted in place after this sequence was read could lack versions it needs.
        ReadState s = pin();
        long sequence = snapshot == null ? engine.lastSequence() : checkSnapshotPinned(snapshot, s);
        try {
            InternalEntry e = s.mem().get(key, sequence);
            for (int i = s.imms().size() - 1; e == null && i >= 0; i--) {
                e = s.imms().get(i).get(key, sequence);
            }
            if (e == null) {
                e = s.version().get(key, sequence, engine.tables);
            }
            if (e == null || e.kind() == ValueKind.DELETION) {
                return null;
            }
            return values.resolve(e.key(), e.value());
        } finally {
            s.version().unref();
        }
    }

    LaminaIterator newIterator(Snapshot snapshot) {
        engine.checkOpen();
        // Pin first: a memtable compacted in place after this sequence was read could lack versions it needs.
        ReadState s = pin();
        long sequence = snapshot == null ? engine.lastSequence() : checkSnapshotPinned(snapshot, s);
        try {
            List<InternalIterator> children = new ArrayList<>();
            children.add(s.mem().newIterator());
            for (MemTable imm : s.imms()) {
                children.add(imm.newIterator());
            }
            children.addAll(s.version().newIterators(engine.tables));
            EngineIterator[] self = new EngineIterator[1];
            self[0] = new EngineIterator(new MergingIterator(children), sequence, values, () -> {
                iterators.remove(self[0]);
                s.version().unref();
            });
            iterators.add(self[0]);
            if (engine.isClosed()) {
                self[0].closeForStore();
                throw engine.closedError();
            }
            return self[0];
        } catch (RuntimeException e) {
            if (!(e instanceof StoreClosedException)) {
                s.version().unref();
            }
            throw e;
        }
    }

    /** Estimated number of live keys: entries in memtables and tables, overwrites and deletions not subtracted. */
    long estimateNumKeys() {
        engine.checkOpen();
        ReadState s = pin();
        try {
            long n = s.memtableEntries();
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                for (var f : s.version().files(level)) {
                    n += f.entries();
                }
            }
            return n;
        } finally {
            s.version().unref();
        }
    }

    Snapshot getSnapshot() {
        engine.checkOpen();
        return snapshots.open(engine.lastSequence(), engine::checkOpen);
    }

    private long checkSnapshotPinned(Snapshot snapshot, ReadState pinned) {
        try {
            return checkSnapshot(snapshot).sequence();
        } catch (RuntimeException e) {
            pinned.version().unref();
            throw e;
        }
    }

    private SnapshotList.EngineSnapshot checkSnapshot(Snapshot snapshot) {
        if (!(snapshot instanceof SnapshotList.EngineSnapshot es) || !es.belongsTo(snapshots)) {
            throw new IllegalArgumentException("snapshot does not belong to store " + engine.dir);
        }
        es.checkUsable();
        return es;
    }

    /** The read state with its version pinned; the caller unrefs the version. */
    private ReadState pin() {
        while (true) {
            ReadState s = engine.readState();
            if (s.version().tryRef()) {
                return s;
            }
            Thread.onSpinWait();
        }
    }

    private byte[] resolve(byte[] internalKey, byte[] stored) {
        if (InternalKey.kind(internalKey) == ValueKind.VALUE) {
            return stored.clone();
        }
        ValuePointer pointer;
        try {
            pointer = ValuePointer.decode(stored);
        } catch (CorruptionException e) {
            throw new CorruptionException("bad value pointer for key " + InternalKey.describe(internalKey) + " in "
                    + engine.dir + ": " + e.getMessage());
        }
        return engine.valueLog.read(InternalKey.userKey(internalKey), pointer);
    }

    /** The sequences of the open snapshots. */
    long[] snapshotSequences() {
        return snapshots.sequences();
    }

    /** Closes every open iterator; called when the store closes. */
    void closeIterators() {
        for (EngineIterator it : List.copyOf(iterators)) {
            it.closeForStore();
        }
    }
}
