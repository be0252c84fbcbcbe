package dev.lamina.store.engine;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.WriteBatch;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.cache.MemoryBudget;
import dev.lamina.store.compaction.ShadowedEntryFilter;
import dev.lamina.store.io.CountingFileSystem;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.memtable.MemTable;
import dev.lamina.store.table.TableCache;
import dev.lamina.store.version.CurrentFile;
import dev.lamina.store.version.FileNames;
import dev.lamina.store.version.VersionEdit;
import dev.lamina.store.version.VersionSet;
import dev.lamina.store.wal.WalRecord;
import dev.lamina.store.wal.WalReplayer;
import dev.lamina.store.wal.WriteAheadLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a store: takes the LOCK, recovers the versions from the manifest, replays the write-ahead logs the
 * manifest does not cover into level-0 tables, starts a fresh log, records all of it in one version edit, and
 * deletes what a crash left behind. The replayed logs are deleted only after that edit is durable, so a crash
 * during recovery leaves the store as it was.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    public static Engine open(Path dir, LaminaOptions options) {
        CountingFileSystem fs = new CountingFileSystem(options.fileSystem());
        fs.createDirectories(dir);
        FileSystem.FileLock lock = fs.lock(dir.resolve(FileNames.LOCK));
        Engine engine = null;
        VersionSet versions = null;
        try {
            refuseHeadlessStore(fs, dir);
            MemoryBudget budget = options.memoryBudget();
            warnIfTheBudgetDecidesTheWriteBuffer(dir, options, budget);
            BlockCache blockCache = budget != null ? budget.blockCache() : new BlockCache(options.blockCacheSize());
            Engine[] holder = new Engine[1];
            versions = VersionSet.open(fs, dir, () -> {
                if (holder[0] != null) {
                    holder[0].onVersionReleased();
                }
            });
            MemoryBudget.Account account = budget == null ? null : budget.join(dir.toString(), () -> {
                if (holder[0] != null) {
                    holder[0].requestFlush();
                }
            });
            long partition = account == null ? 0 : account.cachePartition();
            engine = new Engine(dir, options, fs, lock, versions, blockCache,
                    new TableCache(fs, dir, blockCache, partition), account);
            holder[0] = engine;
            replayLogs(engine);
            engine.obsoleteFiles().delete(true);
            engine.startBackgroundWork();
            LOG.info("Opened Lamina store {} (last sequence {}, {} level-0 tables)", dir,
                    engine.lastSequence(), versions.current().fileCount(0));
            return engine;
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.closeResources();
            } else {
                if (versions != null) {
                    versions.close();
                }
                lock.close();
            }
            throw e;
        }
    }

    /**
     * The budget flushes the largest memtable once all of them pass half its limit, so a write buffer above that is
     * never reached: say so once, at open, rather than let the budget win silently.
     */
    private static void warnIfTheBudgetDecidesTheWriteBuffer(Path dir, LaminaOptions options, MemoryBudget budget) {
        if (budget != null && options.writeBufferSize() > budget.limit() / 2) {
            LOG.warn("Store {}: write buffer of {} bytes is more than half the memory budget of {} bytes; memtables"
                    + " are flushed at half the budget, so they stay below {} bytes. Raise lamina.memory.bytes or"
                    + " lower lamina.write.buffer.bytes.", dir, options.writeBufferSize(), budget.limit(),
                    budget.limit() / 2);
        }
    }

    /** Store files without CURRENT mean a damaged store, not an empty one: refuse rather than start over. */
    private static void refuseHeadlessStore(FileSystem fs, Path dir) {
        if (CurrentFile.read(fs, dir) >= 0) {
            return;
        }
        for (String name : fs.list(dir)) {
            FileNames.Kind kind = FileNames.parse(name).kind();
            if (kind == FileNames.Kind.TABLE || kind == FileNames.Kind.LOG || kind == FileNames.Kind.VLOG) {
                throw new CorruptionException("store has data files but no CURRENT file", dir.resolve(name), -1);
            }
        }
    }

    private static void replayLogs(Engine engine) {
        VersionSet versions = engine.versions;
        List<Long> logs = new ArrayList<>();
        for (String name : engine.fs.list(engine.dir)) {
            FileNames.Parsed f = FileNames.parse(name);
            if (f.kind() == FileNames.Kind.LOG && f.number() >= versions.logNumber()) {
                logs.add(f.number());
            }
        }
        Collections.sort(logs);
        Replay replay = new Replay(engine, versions.lastSequence(), versions.committedMetadata());
        for (int i = 0; i < logs.size(); i++) {
            Path path = engine.dir.resolve(FileNames.log(logs.get(i)));
            var result = WalReplayer.replay(engine.fs, path, i == logs.size() - 1, replay::apply);
            LOG.info("Replayed {}: {} records{}", path.getFileName(), result.records(),
                    result.droppedBytes() > 0 ? ", dropped a torn tail of " + result.droppedBytes() + " bytes" : "");
        }
        if (replay.pendingCount() > 0) {
            LOG.info("Dropped {} entries records of {} whose commit did not reach the disk", replay.pendingCount(),
                    engine.dir);
        }
        // Record the new log number before creating that log: until the edit is durable the replayed logs stay
        // the newest ones, so a crash here recovers them again (a torn tail is only tolerated in the newest log).
        long newLog = versions.newFileNumber();
        replay.edit.setLogNumber(newLog).setLastSequence(replay.lastSequence);
        if (replay.committedMetadata != null) {
            replay.edit.setCommittedMetadata(replay.committedMetadata);
        }
        // The last memtable's tables go in with the same edit that retires the logs.
        EntryWriter.writeAndInstall(engine, replay.mem, ShadowedEntryFilter.withoutSnapshots(), replay.edit);
        engine.start(new WriteAheadLog(engine.fs, engine.dir, newLog), replay.lastSequence, replay.committedMetadata);
    }

    /** Applies replayed records to a memtable, writing it out as a level-0 table whenever it fills. */
    private static final class Replay {
        private final Engine engine;
        private final VersionEdit edit = new VersionEdit();
        private MemTable mem = new MemTable();
        private long lastSequence;
        private byte[] committedMetadata;
        private final List<WalRecord.Entries> pending = new ArrayList<>();

        Replay(Engine engine, long lastSequence, byte[] committedMetadata) {
            this.engine = engine;
            this.lastSequence = lastSequence;
            this.committedMetadata = committedMetadata;
        }

        void apply(WalRecord record) {
            if (record instanceof WalRecord.Batch b) {
                long first = b.firstSequence();
                add(b.batch(), i -> first + i);
            } else if (record instanceof WalRecord.Entries e) {
                // Part of a commit: applied only if its commit record made it to disk too.
                pending.add(e);
            } else if (record instanceof WalRecord.Commit c) {
                for (WalRecord.Entries e : pending) {
                    long[] sequences = e.sequences();
                    add(e.batch(), i -> sequences[i]);
                }
                pending.clear();
                lastSequence = Math.max(lastSequence, c.lastSequence());
                committedMetadata = c.metadata();
            }
        }

        private void add(WriteBatch batch, IntToLongFunction sequenceOf) {
            int[] i = {0};
            batch.forEach(new WriteBatch.Handler() {
                @Override
                public void put(byte[] key, byte[] value) {
                    add(sequenceOf.applyAsLong(i[0]++), ValueKind.VALUE, key, value);
                }

                @Override
                public void delete(byte[] key) {
                    add(sequenceOf.applyAsLong(i[0]++), ValueKind.DELETION, key, null);
                }
            });
        }

        private void add(long sequence, ValueKind kind, byte[] key, byte[] value) {
            mem.add(sequence, kind, key, value);
            lastSequence = Math.max(lastSequence, sequence);
            if (mem.memoryUsage() >= engine.options.writeBufferSize()) {
                // A full memtable goes to level 0 at once, under its own edit; the logs stay until the end.
                EntryWriter.writeAndInstall(engine, mem, ShadowedEntryFilter.withoutSnapshots(),
                        new VersionEdit().setLastSequence(lastSequence));
                mem = new MemTable();
            }
        }

        /** Entries of a commit whose commit record has not been read (yet); dropped at the end of the logs. */
        int pendingCount() {
            return pending.size();
        }
    }
}
