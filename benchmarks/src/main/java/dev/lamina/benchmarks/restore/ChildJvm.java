package dev.lamina.benchmarks.restore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A {@link RestoreApp} in a child JVM (same Java, same classpath), and what it reported on stdout. Its stderr (Kafka's
 * warnings) goes to a log file.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Thread reader;
    private final long spawnNanos = System.nanoTime();
    private volatile long readyNanos = -1;
    private volatile long processed;
    private volatile long lastOffset = -1;
    private volatile long restoreFrom = -1;
    private volatile long restoreTo = -1;
    private volatile long restored = -1;
    private volatile long restoreNanos = -1;
    private volatile boolean closed;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.reader = new Thread(this::read, "child-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@link RestoreApp} with the given arguments; stderr goes to {@code log} (appended). */
    static ChildJvm start(Map<String, String> args, String heap, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + heap, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), RestoreApp.class.getName()));
        args.forEach((k, v) -> command.add(k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ChildJvm(pb.start(), log);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "ready" -> readyNanos = System.nanoTime();
                    case "processed" -> {
                        lastOffset = Long.parseLong(f[2]);
                        processed = Long.parseLong(f[1]);
                    }
                    case "restore-start" -> {
                        restoreFrom = Long.parseLong(f[1]);
                        restoreTo = Long.parseLong(f[2]);
                    }
                    case "restore-end" -> {
                        restoreNanos = Long.parseLong(f[2]);
                        restored = Long.parseLong(f[1]);
                    }
                    case "closed" -> closed = true;
                    default -> {
                        // other output is ignored
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    /** Waits until the task runs (restoring, if any, is over). */
    void awaitReady(long timeoutMillis) throws InterruptedException {
        await(() -> readyNanos >= 0, timeoutMillis, "the task to be ready");
    }

    /** Waits until the application has processed at least {@code records} input records. */
    void awaitProcessed(long records, long timeoutMillis) throws InterruptedException {
        await(() -> processed >= records, timeoutMillis, "processing " + records + " records");
    }

    private void await(BooleanSupplier condition, long timeoutMillis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the child JVM died while waiting for " + what + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what + "; see " + log);
            }
            Thread.sleep(10);
        }
    }

    /** Asks the application to close cleanly and waits for the JVM to exit. */
    void stop() throws IOException, InterruptedException {
        OutputStream in = process.getOutputStream();
        in.write("stop\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child JVM did not close within 120 s; see " + log);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10)); // its last lines may still be in the pipe
        if (!closed) {
            throw new IllegalStateException("the child JVM exited without closing cleanly; see " + log);
        }
    }

    /** SIGKILL ({@link Process#destroyForcibly()} on Linux) and wait until the JVM is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the child JVM did not die");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    /** Milliseconds from starting the JVM to the task being ready. */
    long readyMillis() {
        return TimeUnit.NANOSECONDS.toMillis(readyNanos - spawnNanos);
    }

    long processed() {
        return processed;
    }

    long lastOffset() {
        return lastOffset;
    }

    /** The first changelog offset restored, or -1 if nothing was restored. */
    long restoreFrom() {
        return restoreFrom;
    }

    /** The changelog end offset the restore ran to (exclusive), or -1 if nothing was restored. */
    long restoreTo() {
        return restoreTo;
    }

    /** Records restored (the listener's total), 0 if nothing was restored. */
    long restored() {
        return Math.max(restored, 0);
    }

    /** Restore time (listener start to end) in milliseconds, 0 if nothing was restored. */
    double restoreMillis() {
        return restoreNanos < 0 ? 0 : restoreNanos / 1e6;
    }

    /**
     * Why Kafka Streams found the task's state corrupted (and wiped it to restore it from the changelog): the first
     * line of the child's log that gives the reason (the store's or Kafka's warning), else the first that mentions
     * a corrupted task; null if there is none.
     */
    String corruptedTaskLine() throws IOException {
        if (!Files.exists(log)) {
            return null;
        }
        List<String> lines = Files.readAllLines(log);
        for (String marker : List.of("holds writes made after", "find a valid state", "did not find checkpoint",
                "orrupted")) {
            for (String line : lines) {
                if (line.contains(marker)) {
                    return line;
                }
            }
        }
        return null;
    }
}
