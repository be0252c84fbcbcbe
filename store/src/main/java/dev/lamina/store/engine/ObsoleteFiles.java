package dev.lamina.store.engine;

import dev.lamina.store.compaction.BackgroundPool;
import dev.lamina.store.vlog.RecycledVlogFiles;
import dev.lamina.store.version.FileNames;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes files no live state needs: tables no live version lists (and no flush is writing), logs older than the
 * manifest's log number, manifests other than the current one, and at open the temp files a crash left behind.
 * Nothing is deleted while a failed manifest write leaves unknown what the manifest on disk lists (LevelDB stops
 * deleting after a background error for the same reason). Background passes keep some obsolete value-log files to be
 * written again ({@link RecycledVlogFiles}); the passes of open, close and a full compaction keep none and delete the
 * kept ones, so that the space is back when they return.
 */
final class ObsoleteFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ObsoleteFiles.class);

    private final Engine engine;
    private final AtomicBoolean queued = new AtomicBoolean();

    ObsoleteFiles(Engine engine) {
        this.engine = engine;
    }

    /** Queues a pass on the background pool; coalesced, so many versions released at once queue one pass. */
    void deleteSoon() {
        if (queued.compareAndSet(false, true)) {
            boolean submitted = engine.background.submit(BackgroundPool.Priority.DELETION, () -> {
                queued.set(false);
                pass(false, true);
            });
            if (!submitted) {
                queued.set(false);
            }
        }
    }

    /** A pass that gives all the space back: at open, at close and after a full compaction. */
    synchronized void delete(boolean atOpen) {
        pass(atOpen, false);
        engine.recycledVlogs.deleteAll();
    }

    private synchronized void pass(boolean atOpen, boolean keepVlogs) {
        try {
            // Order matters. The listing comes first: a file in it was created before, so its number was already
            // pending. Pending outputs come second: a number leaves them only after its version is installed, so
            // reading the versions last cannot miss a file that was pending a moment ago.
            List<String> names = engine.fs.list(engine.dir);
            Set<Long> live = new HashSet<>(engine.pendingOutputs);
            live.addAll(engine.versions.liveFileNumbers());
            long logNumber = engine.versions.logNumber();
            long currentLog = engine.currentLogNumber();
            long manifest = engine.versions.manifestNumber();
            if (engine.versions.manifestUncertain()) {
                // Checked after reading the live files: an edit that failed before then is caught here.
                LOG.debug("Not deleting obsolete files of {}: a manifest write failed", engine.dir);
                return;
            }
            Set<Long> evicted = new HashSet<>();
            try {
                deleteObsolete(names, live, logNumber, currentLog, manifest, atOpen, keepVlogs, evicted);
            } finally {
                engine.blockCache.evictFiles(evicted);
            }
        } catch (RuntimeException e) {
            // Leftover files waste space but harm nothing; the next pass or the next open retries.
            LOG.warn("Deleting obsolete files of {} failed", engine.dir, e);
        }
    }

    private void deleteObsolete(List<String> names, Set<Long> live, long logNumber, long currentLog, long manifest,
            boolean atOpen, boolean keepVlogs, Set<Long> evicted) {
        for (String name : names) {
            FileNames.Parsed f = FileNames.parse(name);
            boolean obsolete = switch (f.kind()) {
                case TABLE, VLOG -> !live.contains(f.number());
                case LOG -> f.number() < logNumber && f.number() != currentLog;
                case MANIFEST -> f.number() != manifest;
                case TEMP, RECYCLE -> atOpen;
                default -> false;
            };
            if (obsolete) {
                if (f.kind() == FileNames.Kind.TABLE) {
                    evicted.add(engine.tables.close(f.number()));
                } else if (f.kind() == FileNames.Kind.VLOG) {
                    evicted.add(engine.valueLog.close(f.number()));
                    engine.stats.recordVlogFileDeleted();
                    if (keepVlogs && engine.recycledVlogs.offer(f.number())) {
                        LOG.debug("Kept obsolete {} of {} to be written again", name, engine.dir);
                        continue;
                    }
                }
                engine.fs.delete(engine.dir.resolve(name));
                LOG.debug("Deleted obsolete {} of {}", name, engine.dir);
            }
        }
    }
}
