package dev.lamina.store.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Compression;
import dev.lamina.store.CorruptionException;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableCorruptionTest {
    @TempDir
    Path dir;

    private List<InternalEntry> entries;
    private byte[] original;
    private Footer footer;
    private long footerOffset;

    @BeforeEach
    void writeOriginal() throws Exception {
        entries = TableFixtures.sortedEntries(400, 60, 21);
        Path path = dir.resolve("original.sst");
        TableFixtures.writeTable(path, TableFixtures.smallBlocks(Compression.LZ4), entries);
        original = Files.readAllBytes(path);
        footerOffset = original.length - TableFormat.FOOTER_SIZE;
        footer = Footer.decode(Arrays.copyOfRange(original, (int) footerOffset, original.length), path,
                footerOffset);
    }

    private Path damaged(byte[] contents) throws Exception {
        Path path = dir.resolve("damaged.sst");
        Files.write(path, contents);
        return path;
    }

    private Path withByteFlipped(long offset) throws Exception {
        byte[] copy = original.clone();
        copy[(int) offset] ^= 0x40;
        return damaged(copy);
    }

    /** Opens the table and reads every entry. */
    private static void openAndScan(Path path) {
        try (TableReader table = TableFixtures.openTable(path, new BlockCache(0));
             InternalIterator it = table.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                it.value();
            }
        }
    }

    private static void assertNamesFileAndOffset(CorruptionException e, Path path, long offset) {
        assertEquals(path, e.file(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    }

    @Test
    void detectsAFlippedByteInADataBlockWhenTheBlockIsRead() throws Exception {
        Path path = withByteFlipped(10);
        try (TableReader table = TableFixtures.openTable(path, new BlockCache(1 << 20))) {
            byte[] firstUserKey = InternalKey.userKey(entries.get(0).key());
            CorruptionException onGet = assertThrows(CorruptionException.class,
                    () -> table.get(firstUserKey, Long.MAX_VALUE));
            assertNamesFileAndOffset(onGet, path, 0);
            assertTrue(onGet.getMessage().contains("checksum"), onGet.getMessage());
            InternalIterator it = table.newIterator();
            CorruptionException onScan = assertThrows(CorruptionException.class, it::seekToFirst);
            assertNamesFileAndOffset(onScan, path, 0);
        }
    }

    @Test
    void detectsAFlippedByteInTheIndexOnOpen() throws Exception {
        Path path = withByteFlipped(footer.index().offset() + footer.index().size() / 2);
        CorruptionException e = assertThrows(CorruptionException.class, () -> openAndScan(path));
        assertNamesFileAndOffset(e, path, footer.index().offset());
    }

    @Test
    void detectsAFlippedByteInTheFilterOnOpen() throws Exception {
        Path path = withByteFlipped(footer.filter().offset() + 3);
        CorruptionException e = assertThrows(CorruptionException.class, () -> openAndScan(path));
        assertNamesFileAndOffset(e, path, footer.filter().offset());
    }

    @Test
    void detectsAFlippedByteAnywhereInTheFooter() throws Exception {
        for (int i = 0; i < TableFormat.FOOTER_SIZE; i++) {
            Path path = withByteFlipped(footerOffset + i);
            CorruptionException e = assertThrows(CorruptionException.class, () -> openAndScan(path), "byte " + i);
            assertEquals(path, e.file());
            assertTrue(e.offset() >= footerOffset, e.getMessage());
        }
    }

    @Test
    void rejectsAWrongMagicAsNotATable() throws Exception {
        Path path = withByteFlipped(original.length - 1);
        CorruptionException e = assertThrows(CorruptionException.class, () -> openAndScan(path));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void rejectsAnUnknownFormatVersionEvenWithAValidChecksum() throws Exception {
        byte[] copy = original.clone();
        int footerStart = (int) footerOffset;
        Coding.putFixed32(copy, footerStart + 40, TableFormat.FORMAT_VERSION + 1);
        Coding.putFixed32(copy, footerStart + 44,
                Crc32c.mask(Crc32c.compute(copy, footerStart, TableFormat.FOOTER_CHECKSUMMED_SIZE)));
        Path path = damaged(copy);
        CorruptionException e = assertThrows(CorruptionException.class, () -> openAndScan(path));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
        assertNamesFileAndOffset(e, path, footerOffset);
    }

    @Test
    void detectsEverySingleByteFlip() throws Exception {
        Random random = new Random(22);
        for (int round = 0; round < 150; round++) {
            long offset = random.nextInt(original.length);
            Path path = withByteFlipped(offset);
            CorruptionException e = assertThrows(CorruptionException.class, () -> openAndScan(path),
                    "flip at " + offset);
            assertEquals(path, e.file());
            assertTrue(e.offset() >= 0 && e.offset() <= offset, "reported " + e.offset() + " for " + offset);
        }
    }

    @Test
    void detectsATruncatedFile() throws Exception {
        long[] lengths = {0, 1, TableFormat.FOOTER_SIZE - 1, TableFormat.FOOTER_SIZE, original.length / 2,
                original.length - TableFormat.FOOTER_SIZE, original.length - 1};
        for (long length : lengths) {
            Path path = damaged(Arrays.copyOf(original, (int) length));
            CorruptionException e = assertThrows(CorruptionException.class, () -> openAndScan(path),
                    "length " + length);
            assertEquals(path, e.file());
            assertTrue(e.offset() >= 0, e.getMessage());
        }
    }

    @Test
    void reportsAShortReadAsTruncation() throws Exception {
        Path path = damaged(original);
        ReadableFile real = NioFileSystem.instance().openReadable(path);
        // A file that shrank after it was opened: its size still claims the footer, reads come up short.
        ReadableFile shrunk = new ForwardingFile(real) {
            @Override
            public int read(long position, byte[] dst, int offset, int length) {
                return Math.max(0, real.read(position, dst, offset, length) - 1);
            }
        };
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> TableReader.open(shrunk, 1, new BlockCache(0)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertNamesFileAndOffset(e, path, footerOffset);
    }

    @Test
    void closesTheFileWhenOpenFails() throws Exception {
        Path path = withByteFlipped(original.length - 3);
        AtomicInteger closes = new AtomicInteger();
        ReadableFile real = NioFileSystem.instance().openReadable(path);
        ReadableFile counting = new ForwardingFile(real) {
            @Override
            public void close() {
                closes.incrementAndGet();
                super.close();
            }
        };
        assertThrows(CorruptionException.class, () -> TableReader.open(counting, 1, new BlockCache(0)));
        assertEquals(1, closes.get());
    }

    /** Delegates everything; tests override what they fake. */
    private static class ForwardingFile implements ReadableFile {
        private final ReadableFile delegate;

        ForwardingFile(ReadableFile delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read(long position, byte[] dst, int offset, int length) {
            return delegate.read(position, dst, offset, length);
        }

        @Override
        public long size() {
            return delegate.size();
        }

        @Override
        public Path path() {
            return delegate.path();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
