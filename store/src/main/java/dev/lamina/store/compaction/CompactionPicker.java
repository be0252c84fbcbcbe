package dev.lamina.store.compaction;

import dev.lamina.store.LaminaOptions;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.Version;
import dev.lamina.store.version.VlogFileState;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses what to compact. Each level gets a score: level 0 its file count over the compaction trigger, deeper
 * levels their bytes over their target. The level furthest over its target (score at least 1) is compacted: all of
 * level 0 (its files overlap), or at a deeper level the next file after where the last compaction there ended, so
 * that a level is rewritten round-robin.
 */
public final class CompactionPicker {
    private final LaminaOptions options;
    /** Per level, the largest internal key of the last compaction's inputs. */
    private final byte[][] compactPointer = new byte[Version.NUM_LEVELS][];

    public CompactionPicker(LaminaOptions options) {
        this.options = options;
    }

    /** Target bytes of a level (1 and deeper). */
    public long maxBytesForLevel(int level) {
        long bytes = options.level1MaxBytes();
        for (int l = 1; l < level; l++) {
            bytes *= options.levelSizeMultiplier();
        }
        return bytes;
    }

    /** The score of a level: 1 or more means it needs compaction. */
    public double score(Version v, int level) {
        if (level == 0) {
            return v.fileCount(0) / (double) options.level0CompactionTrigger();
        }
        return v.levelBytes(level) / (double) maxBytesForLevel(level);
    }

    /** The compaction the version needs most, or null if every level is within its target. */
    public synchronized Compaction pick(Version v) {
        int best = -1;
        double bestScore = 1.0;
        for (int level = 0; level < Version.NUM_LEVELS - 1; level++) {
            double s = score(v, level);
            if (s >= bestScore) {
                best = level;
                bestScore = s;
            }
        }
        if (best < 0) {
            return pickForGarbage(v);
        }
        List<FileMetaData> inputs;
        if (best == 0) {
            inputs = v.files(0);
        } else {
            inputs = List.of(nextFileAfterPointer(v.files(best), compactPointer[best]));
        }
        return build(v, best, inputs, Compaction.Reason.SIZE);
    }

    /**
     * A rewrite of one table that points into a value-log file whose garbage ratio reached the threshold, so that
     * its live values move and the file can be deleted; null if no file qualifies. A table of level 0 is compacted
     * with the rest of level 0 into level 1 (a rewrite in place would reorder level 0); deeper tables are rewritten
     * in place.
     */
    public Compaction pickForGarbage(Version v) {
        for (VlogFileState f : v.vlogFiles().values()) {
            if (f.garbageRatio() >= options.vlogGcThreshold()) {
                var table = v.tableReferencing(f.number());
                if (table == null) {
                    continue;
                }
                int level = table.getKey();
                if (level == 0) {
                    return build(v, 0, v.files(0), Compaction.Reason.VLOG_GARBAGE);
                }
                return new Compaction(level, level, List.of(table.getValue()), List.of(), v,
                        Compaction.Reason.VLOG_GARBAGE);
            }
        }
        return null;
    }

    /** Every file of {@code level} overlapping the user-key range (null bounds are open), or null if none. */
    public Compaction pickRange(Version v, int level, byte[] from, byte[] to) {
        List<FileMetaData> inputs = level == 0 ? overlappingLevel0(v, from, to) : v.overlapping(level, from, to);
        if (inputs.isEmpty()) {
            return null;
        }
        return build(v, level, inputs, Compaction.Reason.MANUAL);
    }

    /** Level-0 files overlap each other: take every one that overlaps the range, widening it as they do. */
    private static List<FileMetaData> overlappingLevel0(Version v, byte[] from, byte[] to) {
        List<FileMetaData> picked = v.overlapping(0, from, to);
        return picked.isEmpty() ? picked : v.files(0);
    }

    private Compaction build(Version v, int level, List<FileMetaData> inputs, Compaction.Reason reason) {
        byte[] smallest = null;
        byte[] largest = null;
        for (FileMetaData f : inputs) {
            if (smallest == null || InternalKey.compare(f.smallest(), smallest) < 0) {
                smallest = f.smallest();
            }
            if (largest == null || InternalKey.compare(f.largest(), largest) > 0) {
                largest = f.largest();
            }
        }
        List<FileMetaData> next = v.overlapping(level + 1, InternalKey.userKey(smallest), InternalKey.userKey(largest));
        synchronized (this) {
            compactPointer[level] = largest;
        }
        return new Compaction(level, level + 1, new ArrayList<>(inputs), next, v, reason);
    }

    private static FileMetaData nextFileAfterPointer(List<FileMetaData> files, byte[] pointer) {
        if (pointer != null) {
            for (FileMetaData f : files) {
                if (InternalKey.compare(f.largest(), pointer) > 0) {
                    return f;
                }
            }
        }
        return files.get(0);
    }
}
