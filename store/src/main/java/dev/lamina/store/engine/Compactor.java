package dev.lamina.store.engine;

import dev.lamina.store.LaminaException;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.compaction.BackgroundPool;
import dev.lamina.store.compaction.Compaction;
import dev.lamina.store.compaction.CompactionPicker;
import dev.lamina.store.compaction.ShadowedEntryFilter;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.iter.MergingIterator;
import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.Version;
import dev.lamina.store.version.VersionEdit;
import dev.lamina.store.version.VlogFileState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one store's compactions: at most one at a time (automatic or {@link #compactRange}), on the shared
 * {@link BackgroundPool}. New tables are installed through the manifest only when complete, and inputs are deleted
 * only after that (by {@link ObsoleteFiles}, once no pinned version lists them), so a crash at any point leaves the
 * store's contents unchanged.
 */
final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    private final Engine engine;
    private final CompactionPicker picker;
    private final ReentrantLock running = new ReentrantLock();
    private boolean scheduled;
    private volatile RuntimeException lastFailure;

    Compactor(Engine engine) {
        this.engine = engine;
        this.picker = new CompactionPicker(engine.options);
    }

    /** Queues a compaction if some level needs one and none is queued. */
    void maybeSchedule() {
        synchronized (this) {
            if (scheduled || picker.pick(engine.versions.current()) == null) {
                return;
            }
            scheduled = engine.background.submit(BackgroundPool.Priority.COMPACTION, this::runScheduled);
        }
    }

    private void runScheduled() {
        boolean progressed = false;
        running.lock();
        try {
            Version v = engine.versions.pinCurrent();
            try {
                Compaction c = picker.pick(v);
                if (c != null) {
                    run(c);
                    progressed = true;
                }
            } finally {
                v.unref();
            }
            lastFailure = null;
        } catch (CompactionAborted e) {
            LOG.debug("Compaction of {} abandoned: store closing", engine.dir);
        } catch (RuntimeException e) {
            lastFailure = e;
            LOG.error("Compaction of {} failed; it will be retried", engine.dir, e);
        } finally {
            running.unlock();
            synchronized (this) {
                scheduled = false;
            }
            engine.signalBackgroundProgress();
        }
        if (progressed) {
            maybeSchedule();
        }
    }

    /** The last automatic compaction's failure, cleared by the next success. */
    RuntimeException lastFailure() {
        return lastFailure;
    }

    /**
     * Called by a writer that needs a memtable switch while level 0, with the memtables waiting for their flush, is
     * at the stop trigger: waits (a stall) until there is room for one more table.
     */
    void awaitLevel0BelowStopTrigger() {
        long start = System.nanoTime();
        maybeSchedule();
        synchronized (engine.flushMonitor) {
            while (engine.readState().version().fileCount(0) + engine.readState().imms().size()
                    >= engine.options.level0StopTrigger() && !engine.isClosed()) {
                RuntimeException failure = lastFailure;
                if (failure != null) {
                    throw new LaminaIOException("level 0 is full and compaction is failing", engine.dir, failure);
                }
                try {
                    engine.flushMonitor.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LaminaException("interrupted while waiting for compaction of " + engine.dir, e);
                }
            }
        }
        engine.stats.recordStall(System.nanoTime() - start);
        engine.checkOpen();
    }

    /**
     * Compacts every table overlapping [{@code from}, {@code to}] (user keys; null is open) down below the deepest
     * level holding data, dropping shadowed versions and, at the bottom, deletions.
     */
    void compactRange(byte[] from, byte[] to) {
        // Each level down to the deepest holding data is merged into the next, so the deepest data is rewritten
        // too (into the level below it): that is what drops its deletions and overwritten versions.
        int deepest = engine.versions.current().deepestNonEmptyLevel();
        int last = Math.min(Math.max(deepest, 0), Version.NUM_LEVELS - 2);
        for (int level = 0; level <= last; level++) {
            running.lock();
            try {
                Version v = engine.versions.pinCurrent();
                try {
                    Compaction c = picker.pickRange(v, level, from, to);
                    if (c != null) {
                        run(c);
                    }
                } finally {
                    v.unref();
                }
            } finally {
                running.unlock();
            }
            engine.signalBackgroundProgress();
        }
        collectValueLogGarbage();
        // The inputs were pinned by the versions this method held; now that they are released, delete them so the
        // space is back when this returns.
        engine.obsoleteFiles().delete(false);
        maybeSchedule();
    }

    /**
     * Rewrites tables that point into mostly-garbage value-log files until none is left. Each rewrite moves every
     * pointer of one table out of such files, so this ends; the bound guards against a picker bug looping.
     */
    private void collectValueLogGarbage() {
        for (int round = 0; round < 10_000; round++) {
            running.lock();
            try {
                Version v = engine.versions.pinCurrent();
                try {
                    Compaction c = picker.pickForGarbage(v);
                    if (c == null) {
                        return;
                    }
                    run(c);
                } finally {
                    v.unref();
                }
            } finally {
                running.unlock();
            }
        }
        LOG.warn("Value-log collection of {} stopped after 10,000 rewrites", engine.dir);
    }

    private void run(Compaction c) {
        long start = System.nanoTime();
        VersionEdit edit = new VersionEdit();
        for (FileMetaData f : c.inputs()) {
            edit.deleteFile(c.level(), f.number());
        }
        for (FileMetaData f : c.nextLevelInputs()) {
            edit.deleteFile(c.outputLevel(), f.number());
        }
        if (c.isTrivialMove()) {
            FileMetaData f = c.inputs().get(0);
            engine.versions.logAndApply(edit.addFile(c.outputLevel(), f));
            engine.stats.recordCompaction(0, 0);
            LOG.debug("Moved {} of {} to level {}", f, engine.dir, c.outputLevel());
            engine.publishCurrentVersion();
            return;
        }
        EntryWriter writer = new EntryWriter(engine, engine.options.targetFileSize(), garbageFiles(c.version()),
                engine.options.vlogFileSize());
        try {
            writeOutputs(c, writer);
            writer.finishInto(edit, c.outputLevel());
            engine.versions.logAndApply(edit);
        } catch (RuntimeException e) {
            writer.abandon();
            throw e;
        } finally {
            writer.outputNumbers().forEach(engine.pendingOutputs::remove);
        }
        List<FileMetaData> outputs = writer.tables();
        long written = outputs.stream().mapToLong(FileMetaData::size).sum();
        engine.stats.recordCompaction(c.inputBytes(), written);
        LOG.debug("{} of {} wrote {} files, {} bytes in {} ms", c, engine.dir, outputs.size(), written,
                (System.nanoTime() - start) / 1_000_000);
        engine.publishCurrentVersion();
        engine.obsoleteFiles().deleteSoon();
    }

    /** Value-log files whose garbage ratio reached the threshold: their live values move as tables are rewritten. */
    private Set<Long> garbageFiles(Version v) {
        Set<Long> out = new HashSet<>();
        for (VlogFileState f : v.vlogFiles().values()) {
            if (f.garbageRatio() >= engine.options.vlogGcThreshold()) {
                out.add(f.number());
            }
        }
        return out;
    }

    /** Merges the inputs into the writer, which cuts tables at the target size between user keys. */
    private void writeOutputs(Compaction c, EntryWriter writer) {
        ShadowedEntryFilter filter = new ShadowedEntryFilter(engine.snapshotSequences(),
                userKey -> c.version().noDataBelow(c.outputLevel(), userKey));
        List<InternalIterator> children = new ArrayList<>();
        for (FileMetaData f : c.allInputs()) {
            children.add(engine.tables.get(f.number()).newIterator());
        }
        try (MergingIterator merged = new MergingIterator(children)) {
            for (merged.seekToFirst(); merged.isValid(); merged.next()) {
                if (engine.isClosed()) {
                    throw new CompactionAborted();
                }
                if (filter.keep(merged.key())) {
                    writer.add(merged.key(), merged.value());
                } else {
                    writer.dropped(merged.key(), merged.value());
                }
            }
        }
    }

    /** Thrown inside a compaction when the store closes under it. */
    private static final class CompactionAborted extends LaminaException {
        CompactionAborted() {
            super("compaction abandoned: store closing");
        }
    }
}
