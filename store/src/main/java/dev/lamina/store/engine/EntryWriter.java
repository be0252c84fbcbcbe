package dev.lamina.store.engine;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.compaction.ShadowedEntryFilter;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.VersionEdit;
import dev.lamina.store.version.VlogFileState;
import dev.lamina.store.vlog.ValuePointer;
import dev.lamina.store.vlog.VlogFileMeta;
import dev.lamina.store.vlog.VlogWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the entries a flush, recovery or compaction keeps into tables of about a target size, and does the
 * value-log work on the way:
 * <ul>
 *   <li>an inline value of at least {@code valueThreshold} bytes moves to a new value-log file, and the table gets
 *       a pointer;</li>
 *   <li>a pointer into a file being collected ({@code relocateFrom}) has its value copied to a new file;</li>
 *   <li>a pointer that is dropped or replaced counts its entry's bytes as garbage of its file.</li>
 * </ul>
 * {@link #finishInto} installs the value-log files, then the last table, and records all of it in the edit.
 */
final class EntryWriter {
    private final Engine engine;
    private final long targetFileSize;
    private final Set<Long> relocateFrom;
    private final int valueThreshold;
    private final List<FileMetaData> tables = new ArrayList<>();
    private final Map<Long, Long> garbage = new HashMap<>();
    private final VlogWriter vlog;
    private final List<Long> outputNumbers = new ArrayList<>();
    private TableWriter.Output table;
    private byte[] lastKey;
    private long relocated;
    /** The number the first table takes, or -1 for a new one. */
    private long reservedTableNumber = -1;

    /**
     * {@code expectedVlogBytes} is about what the value log will take (a memtable's size for a flush): a kept
     * value-log file of about that size is written over, so that little of it is cut off or added.
     */
    EntryWriter(Engine engine, long targetFileSize, Set<Long> relocateFrom, long expectedVlogBytes) {
        this.engine = engine;
        this.targetFileSize = targetFileSize;
        this.relocateFrom = relocateFrom;
        this.valueThreshold = engine.options.valueThreshold();
        this.vlog = new VlogWriter(engine.fs, engine.dir, engine.versions::newFileNumber,
                engine.options.vlogFileSize(), engine.pendingOutputs, engine.recycledVlogs, expectedVlogBytes);
    }

    /** Adds an entry the filter kept. Entries arrive in internal-key order. */
    void add(byte[] key, byte[] value) {
        ValueKind kind = InternalKey.kind(key);
        if (kind == ValueKind.VALUE && valueThreshold > 0 && value.length >= valueThreshold) {
            ValuePointer p = vlog.add(InternalKey.userKey(key), value);
            key = InternalKey.encode(InternalKey.userKey(key), InternalKey.sequence(key), ValueKind.POINTER);
            value = p.encode();
        } else if (kind == ValueKind.POINTER) {
            ValuePointer old = decode(key, value);
            if (relocateFrom.contains(old.fileNumber())) {
                value = vlog.addEntry(engine.valueLog.readEntry(InternalKey.userKey(key), old), old).encode();
                garbage.merge(old.fileNumber(), old.entrySize(), Long::sum);
                relocated++;
            }
        }
        if (table != null && table.estimatedSize() >= targetFileSize && InternalKey.compareUserKeys(key, lastKey) != 0) {
            finishTable();
        }
        if (table == null) {
            long number = reservedTableNumber >= 0 ? reservedTableNumber : engine.versions.newFileNumber();
            reservedTableNumber = -1;
            table = engine.tableWriter.open(number);
            outputNumbers.add(number);
        }
        table.add(key, value);
        lastKey = key;
    }

    /** Notes an entry the filter dropped: a dropped pointer's value becomes garbage. */
    void dropped(byte[] key, byte[] value) {
        if (InternalKey.kind(key) == ValueKind.POINTER) {
            ValuePointer p = decode(key, value);
            garbage.merge(p.fileNumber(), p.entrySize(), Long::sum);
        }
    }

    private static ValuePointer decode(byte[] key, byte[] value) {
        try {
            return ValuePointer.decode(value);
        } catch (CorruptionException e) {
            throw new CorruptionException("bad value pointer for key " + InternalKey.describe(key) + ": "
                    + e.getMessage());
        }
    }

    private void finishTable() {
        FileMetaData f = table.finish();
        table = null;
        if (f != null) {
            tables.add(f);
        }
    }

    /**
     * Installs the value-log files, then the last table, syncs the directory once for all of them (one journal
     * commit instead of one per file), and adds the tables (at {@code level}), the new value-log files and the
     * garbage counts to {@code edit}.
     */
    void finishInto(VersionEdit edit, int level) {
        List<VlogFileMeta> vlogs = vlog.finish();
        for (VlogFileMeta v : vlogs) {
            edit.addVlogFile(new VlogFileState(v.number(), v.size(), v.entries(), 0));
            outputNumbers.add(v.number());
            engine.stats.recordVlogWrite(v.size());
        }
        if (table != null) {
            finishTable();
        }
        if (!vlogs.isEmpty() || !tables.isEmpty()) {
            engine.fs.syncDirectory(engine.dir);
        }
        tables.forEach(f -> edit.addFile(level, f));
        garbage.forEach(edit::addVlogGarbage);
        engine.stats.recordRelocations(relocated);
    }

    List<FileMetaData> tables() {
        return tables;
    }

    /** Numbers of every file this writer created: the caller removes them from pendingOutputs once recorded. */
    List<Long> outputNumbers() {
        return outputNumbers;
    }

    /** Removes the partial files of an unfinished write. */
    void abandon() {
        if (table != null) {
            table.abandonIfUnfinished();
            table = null;
        }
        vlog.abandonIfUnfinished();
        outputNumbers.forEach(engine.pendingOutputs::remove);
    }

    /**
     * Writes a memtable's entries that {@code filter} keeps as one level-0 table (with value-log files for large
     * values), records them in {@code edit}, and makes the edit durable. Returns the finished writer.
     */
    static EntryWriter writeAndInstall(Engine engine, MemTable mem, ShadowedEntryFilter filter, VersionEdit edit) {
        EntryWriter writer = write(engine, mem, filter, edit, engine.versions.newFileNumber());
        try {
            engine.versions.logAndApply(edit);
            return writer;
        } finally {
            writer.outputNumbers().forEach(engine.pendingOutputs::remove);
        }
    }

    /**
     * Writes, syncs and names the files of {@link #writeAndInstall} and records them in {@code edit}, without
     * installing it; the table is numbered {@code tableNumber} (level 0 orders its tables by number). The files'
     * numbers stay in {@code pendingOutputs} until the caller removes them (once the edit is installed, or
     * abandoned), so no deletion pass takes them meanwhile.
     */
    static EntryWriter write(Engine engine, MemTable mem, ShadowedEntryFilter filter, VersionEdit edit,
            long tableNumber) {
        EntryWriter writer = new EntryWriter(engine, Long.MAX_VALUE, Set.of(), mem.memoryUsage());
        writer.reservedTableNumber = tableNumber;
        try {
            try (InternalIterator entries = mem.newIterator()) {
                for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                    if (filter.keep(entries.key())) {
                        writer.add(entries.key(), entries.value());
                    }
                }
            }
            writer.finishInto(edit, 0);
            return writer;
        } catch (RuntimeException e) {
            writer.abandon();
            throw e;
        }
    }
}
