package dev.lamina.store.engine;

import dev.lamina.store.LaminaException;
import dev.lamina.store.compaction.BackgroundPool;
import dev.lamina.store.compaction.Compaction;
import dev.lamina.store.compaction.CompactionPicker;
import dev.lamina.store.compaction.ShadowedEntryFilter;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.iter.MergingIterator;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.Version;
import dev.lamina.store.version.VersionEdit;
import java.util.ArrayList;
import java.util.List;
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
        // The inputs were pinned by the versions this method held; now that they are released, delete them so the
        // space is back when this returns.
        engine.obsoleteFiles().delete(false);
        maybeSchedule();
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
        List<FileMetaData> outputs = new ArrayList<>();
        try {
            writeOutputs(c, outputs);
            outputs.forEach(f -> edit.addFile(c.outputLevel(), f));
            engine.versions.logAndApply(edit);
        } finally {
            outputs.forEach(f -> engine.pendingOutputs.remove(f.number()));
        }
        long written = outputs.stream().mapToLong(FileMetaData::size).sum();
        engine.stats.recordCompaction(c.inputBytes(), written);
        LOG.debug("{} of {} wrote {} files, {} bytes in {} ms", c, engine.dir, outputs.size(), written,
                (System.nanoTime() - start) / 1_000_000);
        engine.publishCurrentVersion();
        engine.obsoleteFiles().delete(false);
    }

    /** Merges the inputs into output tables of about the target size, never splitting one user key's entries. */
    private void writeOutputs(Compaction c, List<FileMetaData> outputs) {
        ShadowedEntryFilter filter = new ShadowedEntryFilter(engine.smallestSnapshot(),
                userKey -> c.version().noDataBelow(c.outputLevel(), userKey));
        List<InternalIterator> children = new ArrayList<>();
        for (FileMetaData f : c.allInputs()) {
            children.add(engine.tables.get(f.number()).newIterator());
        }
        long target = engine.options.targetFileSize();
        TableWriter.Output out = null;
        byte[] lastKey = null;
        try (MergingIterator merged = new MergingIterator(children)) {
            for (merged.seekToFirst(); merged.isValid(); merged.next()) {
                if (engine.isClosed()) {
                    throw new CompactionAborted();
                }
                byte[] key = merged.key();
                if (!filter.keep(key)) {
                    continue;
                }
                if (out != null && out.estimatedSize() >= target && InternalKey.compareUserKeys(key, lastKey) != 0) {
                    addIfPresent(outputs, out.finish());
                    out = null;
                }
                if (out == null) {
                    out = engine.tableWriter.open(engine.versions.newFileNumber());
                }
                out.add(key, merged.value());
                lastKey = key;
            }
            if (out != null) {
                addIfPresent(outputs, out.finish());
                out = null;
            }
        } finally {
            if (out != null) {
                out.abandonIfUnfinished();
            }
        }
    }

    private static void addIfPresent(List<FileMetaData> outputs, FileMetaData f) {
        if (f != null) {
            outputs.add(f);
        }
    }

    /** Thrown inside a compaction when the store closes under it. */
    private static final class CompactionAborted extends LaminaException {
        CompactionAborted() {
            super("compaction abandoned: store closing");
        }
    }
}
