package dev.lamina.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The state directories of the benchmark runs: their size while a store works in them, and their removal. */
public final class Directories {
    private Directories() {
    }

    /**
     * Sum of the sizes of the regular files under {@code dir} (apparent sizes, as {@code du -b} reports), 0 if it does
     * not exist. A store may delete files during the walk (a compaction finished): those count 0, and a walk that
     * meets a vanished directory entry is tried again.
     */
    public static long bytes(Path dir) {
        for (int attempt = 1; ; attempt++) {
            try {
                return walkBytes(dir);
            } catch (UncheckedIOException | IOException e) {
                if (attempt == 10) {
                    throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
                }
            }
        }
    }

    private static long walkBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    /** Deletes {@code dir} and everything under it; nothing if it does not exist. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
