package dev.lamina.store.vlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.fault.MutationFuzzer;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import dev.lamina.store.version.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds the value-log decoders damaged input: value pointers, and whole value-log files read through pointers
 * that were valid for the original file. Every read returns the value that was written or throws
 * {@link CorruptionException}; nothing else, and never another value.
 */
class ValueLogFuzzTest {
    private static final long FILE = 7;

    @TempDir
    Path dir;

    @Test
    void damagedPointersDecodeToThemselvesOrAreReportedAsCorruption() {
        MutationFuzzer fuzzer = new MutationFuzzer("value pointers", 61).allow(CorruptionException.class);
        Random random = new Random(2);
        for (int i = 0; i < 16; i++) {
            fuzzer.seed(new ValuePointer(random.nextInt(1 << 20), 40 + random.nextInt(1 << 24), random.nextInt(100),
                    random.nextInt(1 << 20), random.nextInt()).encode());
        }
        long inputs = fuzzer.run(input -> {
            ValuePointer p = ValuePointer.decode(input);
            assertArrayEquals(p.encode(), ValuePointer.decode(p.encode()).encode());
        });
        assertTrue(inputs > 100, "too few inputs: " + inputs);
    }

    @Test
    void aDamagedValueLogFileGivesBackTheWrittenValuesOrReportsCorruption() throws IOException {
        Random random = new Random(4);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<ValuePointer> pointers = new ArrayList<>();
        VlogWriter writer = new VlogWriter(NioFileSystem.instance(), dir, () -> FILE, 1 << 20, new HashSet<>(), null, 0);
        for (int i = 0; i < 12; i++) {
            byte[] key = ("key-" + i).getBytes();
            byte[] value = new byte[random.nextInt(300)];
            random.nextBytes(value);
            keys.add(key);
            values.add(value);
            pointers.add(writer.add(key, value));
        }
        writer.finish();
        Path file = dir.resolve(FileNames.vlog(FILE));
        MutationFuzzer fuzzer = new MutationFuzzer("value-log file", 67).allow(CorruptionException.class)
                .repairWith(ValueLogFuzzTest::repairHeader).seed(Files.readAllBytes(file));
        long inputs = fuzzer.run(input -> {
            Files.write(file, input);
            try (ValueLog log = new ValueLog(NioFileSystem.instance(), dir, new BlockCache(0), 0,
                    ChecksumLevel.FULL)) {
                for (int i = 0; i < pointers.size(); i++) {
                    try {
                        assertArrayEquals(values.get(i), log.read(keys.get(i), pointers.get(i)),
                                "a damaged file gave a different value for " + new String(keys.get(i)));
                    } catch (CorruptionException e) {
                        assertTrue(e.getMessage().contains(".vlog"), "corruption must name the file: " + e);
                    }
                }
            }
        });
        assertTrue(inputs > 50, "too few inputs: " + inputs);
    }

    /** Recomputes the header CRC so that mutations reach the header fields and the entries behind it. */
    private static byte[] repairHeader(byte[] input) {
        if (input.length >= VlogFormat.HEADER_SIZE) {
            byte[] copy = input.clone();
            Coding.putFixed32(copy, VlogFormat.HEADER_CRC_OFFSET,
                    Crc32c.mask(Crc32c.compute(copy, 0, VlogFormat.HEADER_CRC_OFFSET)));
            return copy;
        }
        return input;
    }
}
