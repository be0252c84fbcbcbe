package dev.lamina.store.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Compression;
import dev.lamina.store.CorruptionException;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.util.ByteWriter;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlockCodecTest {
    private static final Path FILE = Path.of("codec-test.sst");

    @TempDir
    Path dir;

    /** Writes one block and returns its stored bytes with the trailer. */
    private byte[] storeBlock(byte[] raw, Compression compression) throws Exception {
        Path path = dir.resolve("block-" + compression + "-" + raw.length);
        try (WritableFile file = NioFileSystem.instance().create(path)) {
            BlockCodec.write(file, raw, raw.length, compression);
        }
        return java.nio.file.Files.readAllBytes(path);
    }

    private byte[] readBack(byte[] stored) throws Exception {
        Path path = dir.resolve("read-back");
        java.nio.file.Files.write(path, stored);
        try (ReadableFile file = NioFileSystem.instance().openReadable(path)) {
            return BlockCodec.read(file, new BlockHandle(0, stored.length - TableFormat.BLOCK_TRAILER_SIZE));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void keepsCompressionOnlyWhenItSavesAnEighth(Compression compression) throws Exception {
        Random random = new Random(5);
        byte[] compressible = TableFixtures.compressibleValue(random, 10_000);
        byte[] stored = storeBlock(compressible, compression);
        assertEquals(compression.code(), stored[stored.length - TableFormat.BLOCK_TRAILER_SIZE]);
        assertTrue(stored.length < compressible.length * 7 / 8);
        assertArrayEquals(compressible, readBack(stored));

        byte[] incompressible = new byte[10_000];
        random.nextBytes(incompressible);
        stored = storeBlock(incompressible, compression);
        assertEquals(Compression.NONE.code(), stored[stored.length - TableFormat.BLOCK_TRAILER_SIZE]);
        assertEquals(incompressible.length + TableFormat.BLOCK_TRAILER_SIZE, stored.length);
        assertArrayEquals(incompressible, readBack(stored));
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void rejectsAForgedHugeUncompressedLength(Compression compression) {
        byte[] payload = new ByteWriter().writeVarint64(1L << 40).writeBytes(new byte[16]).toByteArray();
        CorruptionException e = assertThrows(CorruptionException.class,
                () -> BlockCodec.decode(compression.code(), payload, payload.length, FILE, 123));
        assertEquals(FILE, e.file());
        assertEquals(123, e.offset());
        byte[] justOver = new ByteWriter().writeVarint64(TableFormat.MAX_BLOCK_SIZE + 1L).toByteArray();
        assertThrows(CorruptionException.class,
                () -> BlockCodec.decode(compression.code(), justOver, justOver.length, FILE, 0));
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"LZ4", "ZSTD"})
    void garbagePayloadsFailOnlyWithCorruption(Compression compression) {
        Random random = new Random(6);
        for (int round = 0; round < 2000; round++) {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            // Mostly plausible lengths, so that the codec itself gets to see the garbage.
            byte[] payload = new ByteWriter().writeVarint32(random.nextInt(5000)).writeBytes(garbage).toByteArray();
            try {
                BlockCodec.decode(compression.code(), payload, payload.length, FILE, 9);
            } catch (CorruptionException expected) {
                assertEquals(9, expected.offset());
            }
        }
    }

    @Test
    void rejectsUnknownCompressionCode() {
        assertThrows(CorruptionException.class, () -> BlockCodec.decode(99, new byte[4], 4, FILE, 0));
    }

    @Test
    void detectsAFlippedBitInBlockOrTrailer() throws Exception {
        byte[] stored = storeBlock(TableFixtures.compressibleValue(new Random(7), 3000), Compression.LZ4);
        for (int i = 0; i < stored.length; i += Math.max(1, stored.length / 50)) {
            byte[] damaged = stored.clone();
            damaged[i] ^= 0x10;
            CorruptionException e = assertThrows(CorruptionException.class, () -> readBack(damaged), "byte " + i);
            assertEquals(0, e.offset());
        }
    }
}
