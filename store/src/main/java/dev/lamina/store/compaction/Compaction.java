package dev.lamina.store.compaction;

import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * One compaction: files of {@code level} merged with the overlapping files of the next level into new files of
 * {@code outputLevel} (the next level; or the same level, for a rewrite that only collects value-log garbage).
 * {@code version} is the version the inputs were picked from; the runner pins it for the duration.
 */
public record Compaction(int level, int outputLevel, List<FileMetaData> inputs, List<FileMetaData> nextLevelInputs,
        Version version, Reason reason) {

    /** Why a compaction runs. */
    public enum Reason {
        /** A level is over its size or file-count target. */
        SIZE,
        /** {@code compactRange}. */
        MANUAL,
        /** Tables point into value-log files that are mostly garbage: rewrite them to move the live values. */
        VLOG_GARBAGE
    }

    public boolean manual() {
        return reason == Reason.MANUAL;
    }

    /** One file with nothing below it to merge with: move it down instead of rewriting it. */
    public boolean isTrivialMove() {
        return reason == Reason.SIZE && inputs.size() == 1 && nextLevelInputs.isEmpty()
                && outputLevel == level + 1;
    }

    public List<FileMetaData> allInputs() {
        List<FileMetaData> all = new ArrayList<>(inputs);
        all.addAll(nextLevelInputs);
        return all;
    }

    public long inputBytes() {
        long total = 0;
        for (FileMetaData f : allInputs()) {
            total += f.size();
        }
        return total;
    }

    @Override
    public String toString() {
        return "Compaction{level " + level + " -> " + outputLevel + ", " + inputs.size() + "+"
                + nextLevelInputs.size() + " files, " + inputBytes() + " bytes, " + reason + "}";
    }
}
