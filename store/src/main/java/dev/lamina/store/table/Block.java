package dev.lamina.store.table;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.util.Coding;
import java.nio.file.Path;

/**
 * A decompressed block whose restart array has been checked: the count fits, the first restart is 0, restarts
 * increase strictly and point inside the entry region. Entries themselves are checked as they are decoded by
 * {@link BlockIterator}. Immutable and safe to share between threads; the contents array must not be modified.
 */
final class Block {
    private final byte[] contents;
    private final int restartCount;
    /** Where the restart array begins, which is also where the entries end. */
    private final int entriesEnd;
    private final Path file;
    private final long fileOffset;

    /**
     * @param file       the table the block came from, for error messages (may be null)
     * @param fileOffset the block's offset in that file, for error messages
     */
    Block(byte[] contents, Path file, long fileOffset) {
        this.contents = contents;
        this.file = file;
        this.fileOffset = fileOffset;
        if (contents.length < 4) {
            throw corruption("block of " + contents.length + " bytes is too short for its restart count", null);
        }
        int count = Coding.getFixed32(contents, contents.length - 4);
        if (count < 0 || count > (contents.length - 4) / 4) {
            throw corruption("block restart count " + Integer.toUnsignedString(count) + " does not fit in "
                    + contents.length + " bytes", null);
        }
        this.restartCount = count;
        this.entriesEnd = contents.length - 4 - 4 * count;
        if ((count == 0) != (entriesEnd == 0)) {
            throw corruption("block has entries but no restart points, or restart points but no entries", null);
        }
        int previous = -1;
        for (int i = 0; i < count; i++) {
            int restart = restartOffset(i);
            boolean valid = i == 0 ? restart == 0 : restart > previous && restart < entriesEnd;
            if (!valid) {
                throw corruption("block restart point " + i + " has bad offset " + Integer.toUnsignedString(restart),
                        null);
            }
            previous = restart;
        }
    }

    byte[] contents() {
        return contents;
    }

    int restartCount() {
        return restartCount;
    }

    int entriesEnd() {
        return entriesEnd;
    }

    int restartOffset(int index) {
        return Coding.getFixed32(contents, entriesEnd + 4 * index);
    }

    boolean isEmpty() {
        return restartCount == 0;
    }

    /** A new cursor over this block; each thread uses its own. */
    BlockIterator newIterator() {
        return new BlockIterator(this);
    }

    /** A corruption of this block, naming the file and the block's offset. */
    CorruptionException corruption(String message, Throwable cause) {
        return new CorruptionException(message, file, fileOffset, cause);
    }
}
