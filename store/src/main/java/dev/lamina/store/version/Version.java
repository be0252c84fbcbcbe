package dev.lamina.store.version;

import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.table.TableCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An immutable set of table files by level. Level 0 files may overlap and are ordered oldest to newest; deeper
 * levels hold files with disjoint key ranges, ordered by key. A version is reference-counted: readers that need
 * its files pin it, and a file is deleted only when no live version lists it.
 */
public final class Version {
    public static final int NUM_LEVELS = 7;

    private final List<List<FileMetaData>> levels;
    /** Value-log files some table of this version refers to, by number. */
    private final Map<Long, VlogFileState> vlogFiles;
    private final AtomicInteger refs = new AtomicInteger();
    private final Consumer<Version> onRelease;

    Version(List<List<FileMetaData>> levels, Map<Long, VlogFileState> vlogFiles, Consumer<Version> onRelease) {
        List<List<FileMetaData>> copy = new ArrayList<>(NUM_LEVELS);
        for (List<FileMetaData> level : levels) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(level)));
        }
        this.levels = Collections.unmodifiableList(copy);
        this.vlogFiles = Collections.unmodifiableMap(new TreeMap<>(vlogFiles));
        this.onRelease = onRelease;
    }

    /** The value-log files this version's tables refer to. */
    public Map<Long, VlogFileState> vlogFiles() {
        return vlogFiles;
    }

    /** A table of this version that refers to value-log file {@code number}, with its level, or null. */
    public Map.Entry<Integer, FileMetaData> tableReferencing(long number) {
        for (int level = 0; level < NUM_LEVELS; level++) {
            for (FileMetaData f : levels.get(level)) {
                if (f.references(number)) {
                    return Map.entry(level, f);
                }
            }
        }
        return null;
    }

    /** Pins the version unless it was already released; returns whether it is now pinned. */
    public boolean tryRef() {
        while (true) {
            int n = refs.get();
            if (n <= 0) {
                return false;
            }
            if (refs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void refInitial() {
        refs.incrementAndGet();
    }

    public void unref() {
        int n = refs.decrementAndGet();
        if (n == 0) {
            onRelease.accept(this);
        } else if (n < 0) {
            throw new IllegalStateException("version released more often than pinned");
        }
    }

    public List<FileMetaData> files(int level) {
        return levels.get(level);
    }

    public int fileCount(int level) {
        return levels.get(level).size();
    }

    public long levelBytes(int level) {
        long total = 0;
        for (FileMetaData f : levels.get(level)) {
            total += f.size();
        }
        return total;
    }

    /**
     * The newest entry of {@code userKey} at or below {@code sequence} in this version's tables, or null.
     *
     * <p>Level 0's tables may overlap in sequences as well as keys: a log replayed at open holds the newest values
     * its commits logged, some of them from memtables flushed before. So level 0 is searched from the table with the
     * largest sequence down, keeping the newest hit, until the next table cannot hold anything newer than it.
     */
    public InternalEntry get(byte[] userKey, long sequence, TableCache tables) {
        List<FileMetaData> level0 = levels.get(0);
        InternalEntry newest = null;
        for (int i = level0.size() - 1; i >= 0; i--) {
            FileMetaData f = level0.get(i);
            if (newest != null && newest.sequence() >= f.largestSequence()) {
                break;
            }
            if (f.covers(userKey)) {
                InternalEntry e = tables.get(f.number()).get(userKey, sequence);
                if (e != null && (newest == null || e.sequence() > newest.sequence())) {
                    newest = e;
                }
            }
        }
        if (newest != null) {
            return newest;
        }
        for (int level = 1; level < NUM_LEVELS; level++) {
            FileMetaData f = findFile(levels.get(level), userKey);
            if (f != null && InternalKey.compareToUserKey(f.smallest(), userKey) <= 0) {
                InternalEntry e = tables.get(f.number()).get(userKey, sequence);
                if (e != null) {
                    return e;
                }
            }
        }
        return null;
    }

    /** In a sorted, disjoint level: the first file whose largest user key is at or after {@code userKey}. */
    static FileMetaData findFile(List<FileMetaData> files, byte[] userKey) {
        int lo = 0;
        int hi = files.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (InternalKey.compareToUserKey(files.get(mid).largest(), userKey) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < files.size() ? files.get(lo) : null;
    }

    /** Files of a level whose user-key range overlaps [{@code from}, {@code to}]; a null bound is open. */
    public List<FileMetaData> overlapping(int level, byte[] from, byte[] to) {
        List<FileMetaData> out = new ArrayList<>();
        for (FileMetaData f : levels.get(level)) {
            boolean before = to != null && InternalKey.compareToUserKey(f.smallest(), to) > 0;
            boolean after = from != null && InternalKey.compareToUserKey(f.largest(), from) < 0;
            if (!before && !after) {
                out.add(f);
            }
        }
        return out;
    }

    /** True if no level deeper than {@code level} has a file whose range holds {@code userKey}. */
    public boolean noDataBelow(int level, byte[] userKey) {
        for (int l = level + 1; l < NUM_LEVELS; l++) {
            FileMetaData f = findFile(levels.get(l), userKey);
            if (f != null && InternalKey.compareToUserKey(f.smallest(), userKey) <= 0) {
                return false;
            }
        }
        return true;
    }

    /** The deepest level holding any file, or -1 if the version is empty. */
    public int deepestNonEmptyLevel() {
        for (int l = NUM_LEVELS - 1; l >= 0; l--) {
            if (!levels.get(l).isEmpty()) {
                return l;
            }
        }
        return -1;
    }

    /** One iterator per level-0 file and one concatenating iterator per non-empty deeper level. */
    public List<InternalIterator> newIterators(TableCache tables) {
        List<InternalIterator> out = new ArrayList<>();
        List<FileMetaData> level0 = levels.get(0);
        for (int i = level0.size() - 1; i >= 0; i--) {
            out.add(tables.get(level0.get(i).number()).newIterator());
        }
        for (int level = 1; level < NUM_LEVELS; level++) {
            if (!levels.get(level).isEmpty()) {
                out.add(new LevelIterator(levels.get(level), tables));
            }
        }
        return out;
    }

    /** Adds the numbers of every file of this version to {@code into}. */
    public void collectFileNumbers(java.util.Set<Long> into) {
        for (List<FileMetaData> level : levels) {
            for (FileMetaData f : level) {
                into.add(f.number());
                for (long r : f.vlogRefs()) {
                    into.add(r);
                }
            }
        }
    }

    /** The version that results from applying {@code edit}. */
    Version apply(VersionEdit edit, Consumer<Version> release) {
        List<List<FileMetaData>> next = new ArrayList<>(NUM_LEVELS);
        for (int level = 0; level < NUM_LEVELS; level++) {
            List<FileMetaData> files = new ArrayList<>(levels.get(level));
            for (VersionEdit.DeletedFile d : edit.deletedFiles()) {
                if (d.level() == level) {
                    files.removeIf(f -> f.number() == d.number());
                }
            }
            for (VersionEdit.NewFile n : edit.newFiles()) {
                if (n.level() == level) {
                    files.add(n.file());
                }
            }
            if (level == 0) {
                files.sort(FileMetaData.OLDEST_FIRST);
            } else {
                files.sort((a, b) -> InternalKey.compare(a.smallest(), b.smallest()));
            }
            next.add(files);
        }
        Map<Long, VlogFileState> vlogs = new TreeMap<>(vlogFiles);
        for (VlogFileState v : edit.newVlogFiles()) {
            vlogs.put(v.number(), v);
        }
        edit.vlogGarbage().forEach((number, bytes) -> vlogs.computeIfPresent(number, (n, v) -> v.plusGarbage(bytes)));
        // A value-log file no table refers to any more leaves the version (its file is deleted once no live
        // version refers to it either).
        Set<Long> referenced = new HashSet<>();
        for (List<FileMetaData> level : next) {
            for (FileMetaData f : level) {
                for (long r : f.vlogRefs()) {
                    referenced.add(r);
                }
            }
        }
        vlogs.keySet().retainAll(referenced);
        return new Version(next, vlogs, release);
    }

    static Version empty(Consumer<Version> release) {
        List<List<FileMetaData>> levels = new ArrayList<>();
        for (int i = 0; i < NUM_LEVELS; i++) {
            levels.add(List.of());
        }
        return new Version(levels, Map.of(), release);
    }

    /** An edit that recreates this version from nothing: the first record of a new MANIFEST. */
    VersionEdit snapshotEdit() {
        VersionEdit e = new VersionEdit();
        for (int level = 0; level < NUM_LEVELS; level++) {
            for (FileMetaData f : levels.get(level)) {
                e.addFile(level, f);
            }
        }
        vlogFiles.values().forEach(e::addVlogFile);
        return e;
    }
}
