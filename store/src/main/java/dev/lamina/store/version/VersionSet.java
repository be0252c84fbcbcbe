package dev.lamina.store.version;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.log.LogReader;
import dev.lamina.store.log.LogWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current version, the versions readers still pin, and the MANIFEST that records every change. Each open
 * writes a fresh manifest holding one snapshot edit, so a manifest never grows past one run's edits (and is
 * rolled early past {@link #MAX_MANIFEST_SIZE}).
 */
public final class VersionSet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VersionSet.class);
    static final long MAX_MANIFEST_SIZE = 64L << 20;

    private final FileSystem fs;
    private final Path dir;
    private final Set<Version> live = ConcurrentHashMap.newKeySet();
    private final Consumer<Version> release;
    private volatile Version current;
    private LogWriter manifest;
    private long manifestNumber;
    private boolean manifestNeedsRoll;
    private long nextFileNumber = 2;
    private long logNumber;
    private long lastSequence;
    private byte[] committedMetadata;

    private VersionSet(FileSystem fs, Path dir, Runnable onVersionReleased) {
        this.fs = fs;
        this.dir = dir;
        this.release = v -> {
            live.remove(v);
            onVersionReleased.run();
        };
        install(Version.empty(release));
    }

    /**
     * Opens the version state of a store directory: recovers it from CURRENT and its manifest, or starts a new
     * store when there is no CURRENT. Either way a fresh manifest is written and CURRENT points at it.
     */
    public static VersionSet open(FileSystem fs, Path dir, Runnable onVersionReleased) {
        VersionSet set = new VersionSet(fs, dir, onVersionReleased);
        long number = CurrentFile.read(fs, dir);
        if (number >= 0) {
            set.replay(number);
            set.checkFilesPresent(number);
        }
        set.skipNumbersInUse();
        set.writeNewManifest(set.current, new VersionEdit());
        return set;
    }

    private void replay(long number) {
        Path path = dir.resolve(FileNames.manifest(number));
        if (!fs.exists(path)) {
            throw new CorruptionException("CURRENT names a missing manifest " + path.getFileName(),
                    dir.resolve(FileNames.CURRENT), 0);
        }
        Version v = current;
        try (ReadableFile file = fs.openReadable(path); LogReader reader = new LogReader(file)) {
            byte[] record;
            int records = 0;
            while ((record = reader.readRecord()) != null) {
                records++;
                VersionEdit edit;
                try {
                    edit = VersionEdit.decode(record);
                } catch (CorruptionException e) {
                    throw new CorruptionException("bad version edit: " + e.getMessage(), path,
                            reader.lastRecordOffset(), e);
                }
                v = v.apply(edit, release);
                absorbCounters(edit);
            }
            if (records == 0) {
                // The first record (the whole state) is synced before CURRENT names the manifest: it cannot be torn.
                throw new CorruptionException("manifest has no complete first record", path, 0);
            }
            if (reader.droppedBytes() > 0) {
                LOG.warn("Manifest {} ended with a torn edit of {} bytes (a crash during an update); ignored", path,
                        reader.droppedBytes());
            }
        }
        manifestNumber = number;
        install(v);
        nextFileNumber = Math.max(nextFileNumber, number + 1);
    }

    /**
     * Refuses a manifest that does not match the directory, before anything is written or deleted. A crash never
     * leads here: logs are deleted only after a durable edit moved past them, tables and value-log files only after
     * no durable version lists them. So a missing table, a missing value-log file, or a missing log at the log number
     * while a newer log exists, means the manifest lost an edit that was durable (its last record damaged, or the
     * file cut): opening would silently bring back older data.
     */
    private void checkFilesPresent(long manifestNumber) {
        Path manifest = dir.resolve(FileNames.manifest(manifestNumber));
        java.util.Set<Long> present = new HashSet<>();
        long newestLog = -1;
        boolean logAtLogNumber = false;
        for (String name : fs.list(dir)) {
            FileNames.Parsed f = FileNames.parse(name);
            if (f.kind() == FileNames.Kind.TABLE || f.kind() == FileNames.Kind.VLOG) {
                present.add(f.number());
            } else if (f.kind() == FileNames.Kind.LOG) {
                newestLog = Math.max(newestLog, f.number());
                logAtLogNumber |= f.number() == logNumber;
            }
        }
        for (Long n : liveFileNumbers()) {
            if (!present.contains(n)) {
                throw new CorruptionException("manifest lists file " + n + " (table or value log) that is missing:"
                        + " the manifest or the directory is damaged", manifest, -1);
            }
        }
        if (newestLog > logNumber && !logAtLogNumber) {
            throw new CorruptionException("manifest's log number " + logNumber + " names a missing log while log "
                    + newestLog + " exists: the manifest lost an edit", manifest, -1);
        }
    }

    /**
     * Numbers handed out after the last manifest edit (a log started at a memtable switch, a table a crash left
     * half-installed) are not in the manifest; never hand them out again.
     */
    private void skipNumbersInUse() {
        for (String name : fs.list(dir)) {
            long n = FileNames.parse(name).number();
            if (n >= nextFileNumber) {
                nextFileNumber = n + 1;
            }
        }
    }

    private void absorbCounters(VersionEdit edit) {
        if (edit.logNumber() != null) {
            logNumber = edit.logNumber();
        }
        if (edit.nextFileNumber() != null) {
            nextFileNumber = Math.max(nextFileNumber, edit.nextFileNumber());
        }
        if (edit.lastSequence() != null) {
            lastSequence = Math.max(lastSequence, edit.lastSequence());
        }
        if (edit.committedMetadata() != null) {
            committedMetadata = edit.committedMetadata();
        }
    }

    private void install(Version v) {
        v.refInitial();
        live.add(v);
        Version old = current;
        current = v;
        if (old != null) {
            old.unref();
        }
    }

    /** Starts a manifest holding the whole state in one edit, and points CURRENT at it. */
    private void writeNewManifest(Version state, VersionEdit pending) {
        long number = nextFileNumber++;
        Path path = dir.resolve(FileNames.manifest(number));
        VersionEdit snapshot = state.snapshotEdit().setNextFileNumber(nextFileNumber)
                .setLogNumber(pending.logNumber() != null ? pending.logNumber() : logNumber)
                .setLastSequence(Math.max(lastSequence, pending.lastSequence() != null ? pending.lastSequence() : 0));
        byte[] metadata = pending.committedMetadata() != null ? pending.committedMetadata() : committedMetadata;
        if (metadata != null) {
            snapshot.setCommittedMetadata(metadata);
        }
        LogWriter writer = new LogWriter(fs.create(path));
        try {
            writer.addRecord(snapshot.encode());
            writer.sync();
            CurrentFile.write(fs, dir, number);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        if (manifest != null) {
            closeQuietly(manifest);
        }
        manifest = writer;
        manifestNumber = number;
        manifestNeedsRoll = false;
    }

    /**
     * Records {@code edit} durably in the manifest, then makes the resulting version current. If the manifest
     * write fails nothing changes, and the next call starts a new manifest (the failed one may end in a torn edit).
     */
    public synchronized void logAndApply(VersionEdit edit) {
        if (edit.logNumber() != null && edit.logNumber() < logNumber) {
            throw new IllegalArgumentException("log number moves backwards: " + edit.logNumber() + " < " + logNumber);
        }
        edit.setNextFileNumber(nextFileNumber);
        Version next = current.apply(edit, release);
        try {
            if (manifestNeedsRoll || manifest.size() > MAX_MANIFEST_SIZE) {
                writeNewManifest(next, edit);
            } else {
                manifest.addRecord(edit.encode());
                manifest.sync();
            }
        } catch (RuntimeException e) {
            manifestNeedsRoll = true;
            throw e;
        }
        absorbCounters(edit);
        install(next);
    }

    /**
     * True after a manifest write failed, until a new manifest is written: the failed edit may or may not be on
     * disk, so the files it names must not be deleted (a reopen could find them listed).
     */
    public synchronized boolean manifestUncertain() {
        return manifestNeedsRoll;
    }

    public Version current() {
        return current;
    }

    /** Pins and returns the current version; the caller must {@link Version#unref()} it. */
    public Version pinCurrent() {
        while (true) {
            Version v = current;
            if (v.tryRef()) {
                return v;
            }
        }
    }

    public synchronized long newFileNumber() {
        return nextFileNumber++;
    }

    public synchronized long logNumber() {
        return logNumber;
    }

    public synchronized long lastSequence() {
        return lastSequence;
    }

    public synchronized byte[] committedMetadata() {
        return committedMetadata;
    }

    public synchronized long manifestNumber() {
        return manifestNumber;
    }

    /** Numbers of every table and value-log file some live version lists or refers to. */
    public Set<Long> liveFileNumbers() {
        Set<Long> out = new HashSet<>();
        for (Version v : live) {
            v.collectFileNumbers(out);
        }
        current.collectFileNumbers(out);
        return out;
    }

    @Override
    public synchronized void close() {
        if (manifest != null) {
            closeQuietly(manifest);
            manifest = null;
        }
    }

    private static void closeQuietly(LogWriter writer) {
        try {
            writer.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing manifest failed", e);
        }
    }
}
