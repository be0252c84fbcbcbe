package dev.lamina.store.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.LaminaIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileSystem#reuse}: a file written again in place, then cut to what was written. */
class NioFileSystemReuseTest {
    @TempDir
    Path dir;

    private final FileSystem fs = NioFileSystem.instance();

    private static byte[] bytes(int length, int fill) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private Path existing(int length) throws IOException {
        Path p = dir.resolve("old");
        Files.write(p, bytes(length, 1));
        return p;
    }

    @Test
    void aReusedFileHoldsOnlyTheNewBytesOnceClosed() throws IOException {
        Path p = existing(300_000);
        try (WritableFile f = fs.reuse(p)) {
            f.append(bytes(1000, 2));
            f.append(bytes(100_000, 3));
            f.sync();
            assertEquals(101_000, f.size());
        }
        byte[] content = Files.readAllBytes(p);
        assertEquals(101_000, content.length);
        assertArrayEquals(bytes(1000, 2), Arrays.copyOfRange(content, 0, 1000));
        assertArrayEquals(bytes(100_000, 3), Arrays.copyOfRange(content, 1000, 101_000));
    }

    @Test
    void aReusedFileGrowsPastItsOldEnd() throws IOException {
        Path p = existing(10);
        try (WritableFile f = fs.reuse(p)) {
            f.append(bytes(70_000, 4));
        }
        assertArrayEquals(bytes(70_000, 4), Files.readAllBytes(p));
    }

    @Test
    void beforeCloseTheOldBytesBeyondTheWrittenOnesAreStillThere() throws IOException {
        Path p = existing(200_000);
        try (WritableFile f = fs.reuse(p)) {
            f.append(bytes(100_000, 5));
            f.flush();
            byte[] content = Files.readAllBytes(p);
            assertEquals(200_000, content.length, "no truncation before close (no blocks freed)");
            assertEquals(5, content[99_999]);
            assertEquals(1, content[100_000]);
        }
        assertEquals(100_000, Files.size(p));
    }

    @Test
    void reusingAMissingFileFailsNamingIt() {
        Path missing = dir.resolve("missing");
        LaminaIOException e = assertThrows(LaminaIOException.class, () -> fs.reuse(missing));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aForwardingFileSystemReusesThroughItsOwnCreate() throws IOException {
        Path p = existing(50_000);
        int[] creates = {0};
        FileSystem watching = new ForwardingFileSystem(fs) {
            @Override
            public WritableFile create(Path path) {
                creates[0]++;
                return super.create(path);
            }
        };
        try (WritableFile f = watching.reuse(p)) {
            f.append(bytes(10, 6));
        }
        assertEquals(1, creates[0]);
        assertArrayEquals(bytes(10, 6), Files.readAllBytes(p));
    }

    @Test
    void theCountingFileSystemCountsReusedFilesAndKeepsTheirBlocks() throws IOException {
        Path p = existing(200_000);
        CountingFileSystem counting = new CountingFileSystem(fs);
        try (WritableFile f = counting.reuse(p)) {
            f.append(bytes(1000, 7));
            f.flush();
            assertEquals(200_000, Files.size(p), "passed on to the real reuse, not to create");
        }
        assertEquals(1000, counting.bytesWritten());
    }
}
