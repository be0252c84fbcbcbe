package dev.lamina.store.table;

import static dev.lamina.store.table.TableFixtures.bytes;
import static dev.lamina.store.table.TableFixtures.internalKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Compression;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableBuilderTest {
    @TempDir
    Path dir;

    @Test
    void rejectsKeysThatAreNotStrictlyIncreasing() {
        try (WritableFile file = NioFileSystem.instance().create(dir.resolve("order.sst"))) {
            TableBuilder builder = new TableBuilder(file, TableOptions.defaults());
            builder.add(internalKey("b", 5, ValueKind.VALUE), bytes("x"));
            assertThrows(IllegalArgumentException.class,
                    () -> builder.add(internalKey("b", 5, ValueKind.VALUE), bytes("again")), "duplicate");
            assertThrows(IllegalArgumentException.class,
                    () -> builder.add(internalKey("a", 9, ValueKind.VALUE), bytes("y")), "smaller user key");
            assertThrows(IllegalArgumentException.class,
                    () -> builder.add(internalKey("b", 6, ValueKind.VALUE), bytes("y")), "newer version after older");
            builder.add(internalKey("b", 4, ValueKind.DELETION), new byte[0]);
            assertEquals(2, builder.entryCount());
        }
    }

    @Test
    void rejectsMalformedInternalKeys() {
        try (WritableFile file = NioFileSystem.instance().create(dir.resolve("malformed.sst"))) {
            TableBuilder builder = new TableBuilder(file, TableOptions.defaults());
            assertThrows(IllegalArgumentException.class, () -> builder.add(new byte[7], bytes("v")));
            byte[] unknownKind = internalKey("k", 1, ValueKind.VALUE);
            unknownKind[unknownKind.length - InternalKey.TRAILER_SIZE] = 0x55;
            assertThrows(IllegalArgumentException.class, () -> builder.add(unknownKind, bytes("v")));
        }
    }

    @Test
    void rejectsAnEntryLargerThanTheLargestBlock() {
        try (WritableFile file = NioFileSystem.instance().create(dir.resolve("huge.sst"))) {
            TableBuilder builder = new TableBuilder(file, TableOptions.defaults());
            byte[] tooBig = new byte[TableFormat.MAX_BLOCK_SIZE];
            assertThrows(IllegalArgumentException.class,
                    () -> builder.add(internalKey("k", 1, ValueKind.VALUE), tooBig));
        }
    }

    @Test
    void reportsKeysCountsAndSizes() throws Exception {
        Path path = dir.resolve("sizes.sst");
        long size;
        try (WritableFile file = NioFileSystem.instance().create(path)) {
            TableBuilder builder = new TableBuilder(file, new TableOptions(256, 16, Compression.NONE, 10));
            assertNull(builder.smallestKey());
            assertNull(builder.largestKey());
            long previousEstimate = builder.estimatedFileSize();
            for (int i = 0; i < 100; i++) {
                builder.add(internalKey(TableFixtures.userKeyOf(i), 50, ValueKind.VALUE), new byte[20]);
                assertTrue(builder.estimatedFileSize() > previousEstimate);
                previousEstimate = builder.estimatedFileSize();
            }
            assertArrayEquals(internalKey(TableFixtures.userKeyOf(0), 50, ValueKind.VALUE), builder.smallestKey());
            assertArrayEquals(internalKey(TableFixtures.userKeyOf(99), 50, ValueKind.VALUE), builder.largestKey());
            size = builder.finish();
            assertEquals(size, builder.estimatedFileSize());
            assertEquals(100, builder.entryCount());
            assertThrows(IllegalStateException.class, builder::finish);
            assertThrows(IllegalStateException.class,
                    () -> builder.add(internalKey("zzz", 1, ValueKind.VALUE), new byte[0]));
        }
        assertEquals(size, Files.size(path));
    }

    @Test
    void optionsRejectValuesATableCannotBeBuiltWith() {
        assertThrows(IllegalArgumentException.class, () -> new TableOptions(0, 16, Compression.NONE, 10));
        assertThrows(IllegalArgumentException.class, () -> new TableOptions(4096, 0, Compression.NONE, 10));
        assertThrows(IllegalArgumentException.class, () -> new TableOptions(4096, 16, Compression.NONE, -1));
        assertThrows(NullPointerException.class, () -> new TableOptions(4096, 16, null, 10));
        assertEquals(new TableOptions(4096, 16, Compression.LZ4, 10), TableOptions.defaults());
    }
}
