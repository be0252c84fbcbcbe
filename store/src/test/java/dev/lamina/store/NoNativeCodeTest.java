package dev.lamina.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine loads no native library, whatever its compression: a child JVM whose {@code java.io.tmpdir} is an empty
 * folder (where JNI wrappers such as lz4-java and zstd-jni extract theirs) writes, flushes, compacts and reads a
 * store with every {@link Compression}, and the folder is still empty afterwards.
 */
class NoNativeCodeTest {
    @TempDir
    Path tmp;

    @Test
    void noCompressionSettingExtractsOrLoadsANativeLibrary() throws Exception {
        Path childTmp = Files.createDirectories(tmp.resolve("java-tmpdir"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-Djava.io.tmpdir=" + childTmp,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                NoNativeCodeTest.class.getName(), tmp.resolve("stores").toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not finish");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("native libraries loaded: none"), output);
        try (Stream<Path> files = Files.list(childTmp)) {
            List<Path> left = files.toList();
            assertEquals(List.of(), left, "files in the child's java.io.tmpdir");
        }
    }

    /** The child: a store per compression, each written, flushed, compacted and read back. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        for (Compression compression : Compression.values()) {
            Path dir = root.resolve(compression.name());
            Random random = new Random(compression.ordinal());
            byte[][] values = new byte[2000][];
            try (Lamina db = Lamina.open(dir, LaminaOptions.builder().compression(compression)
                    .writeBufferSize(256 << 10).build())) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = new byte[50 + random.nextInt(2000)];
                    for (int j = 0; j < values[i].length; j++) {
                        values[i][j] = (byte) ('a' + random.nextInt(4)); // compressible
                    }
                    db.put(key(i), values[i]);
                }
                db.commit(new byte[0]);
                db.compactRange(null, null);
            }
            try (Lamina db = Lamina.open(dir, LaminaOptions.builder().compression(compression).build())) {
                for (int i = 0; i < values.length; i++) {
                    assertArrayEquals(values[i], db.get(key(i)), compression + " key " + i);
                }
            }
        }
        System.out.println("native libraries loaded: " + nativeLibraries());
    }

    private static byte[] key(int i) {
        return String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    /** The shared objects mapped into this process that are not the JDK's own, or "none". */
    private static String nativeLibraries() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.exists(maps)) {
            return "none (no /proc to check)";
        }
        String jdk = Path.of(System.getProperty("java.home")).toRealPath().toString();
        List<String> foreign = Files.readAllLines(maps).stream().filter(l -> l.endsWith(".so") || l.contains(".so."))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).filter(p -> !p.startsWith(jdk))
                .filter(p -> !p.startsWith("/lib") && !p.startsWith("/usr/lib")).distinct().toList();
        return foreign.isEmpty() ? "none" : String.join(", ", foreign);
    }
}
