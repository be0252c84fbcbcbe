package dev.lamina.store;

import java.nio.file.Path;

/**
 * Stored data failed a check: a checksum, a magic number, a length, a format version. Carries the file and the
 * byte offset where the damage was found, when they are known. The engine never turns corruption into data.
 */
public class CorruptionException extends LaminaException {
    private final Path file;
    private final long offset;

    /** Corruption found while decoding bytes whose file is not known at this level; callers add it. */
    public CorruptionException(String message) {
        this(message, null, -1, null);
    }

    public CorruptionException(String message, Path file, long offset) {
        this(message, file, offset, null);
    }

    public CorruptionException(String message, Path file, long offset, Throwable cause) {
        super(describe(message, file, offset), cause);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file, or null if not known. */
    public Path file() {
        return file;
    }

    /** Byte offset of the damage within {@link #file()}, or -1 if not known. */
    public long offset() {
        return offset;
    }

    private static String describe(String message, Path file, long offset) {
        if (file == null) {
            return message;
        }
        return message + " (file " + file + (offset >= 0 ? ", offset " + offset : "") + ")";
    }
}
