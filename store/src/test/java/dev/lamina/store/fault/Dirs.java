package dev.lamina.store.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Directory helpers for the fault tests. */
final class Dirs {
    private Dirs() {
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the regular files of {@code from} (not LOCK) into a new directory {@code to}: what a crash would leave if
     * the store is open and nothing writes meanwhile.
     */
    static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(p) && !p.getFileName().toString().equals("LOCK")) {
                        try {
                            Files.copy(p, to.resolve(p.getFileName()));
                        } catch (NoSuchFileException e) {
                            // Deleted by a background pass since the listing: a crash now would not have it either.
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean stress() {
        return Boolean.getBoolean("lamina.stress");
    }
}
