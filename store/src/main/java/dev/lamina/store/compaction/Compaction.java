package dev.lamina.store.compaction;

import dev.lamina.store.version.FileMetaData;
import dev.lamina.store.version.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * One compaction: files of {@code level} merged with the overlapping files of the next level into new files of the
 * next level. {@code version} is the version the inputs were picked from; the runner pins it for the duration.
 */
public record Compaction(int level, List<FileMetaData> inputs, List<FileMetaData> nextLevelInputs, Version version,
        boolean manual) {

    public int outputLevel() {
        return level + 1;
    }

    /** One file with nothing below it to merge with: move it down instead of rewriting it. */
    public boolean isTrivialMove() {
        return !manual && inputs.size() == 1 && nextLevelInputs.isEmpty();
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
        return "Compaction{level " + level + " -> " + outputLevel() + ", " + inputs.size() + "+"
                + nextLevelInputs.size() + " files, " + inputBytes() + " bytes" + (manual ? ", manual" : "") + "}";
    }
}
