package dev.lamina.store;

import java.nio.file.Path;

/** An I/O operation failed (disk full, permissions, a vanished file). Names the path it failed on. */
public class LaminaIOException extends LaminaException {
    private final Path path;

    public LaminaIOException(String message, Path path, Throwable cause) {
        super(message + (path == null ? "" : ": " + path) + (cause == null ? "" : " (" + cause + ")"), cause);
        this.path = path;
    }

    /** The file or directory the operation was on, or null. */
    public Path path() {
        return path;
    }
}
