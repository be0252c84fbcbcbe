package dev.lamina.store.table;

import dev.lamina.store.Compression;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds entries and tables for the table tests. */
final class TableFixtures {
    private TableFixtures() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] internalKey(String userKey, long sequence, ValueKind kind) {
        return InternalKey.encode(bytes(userKey), sequence, kind);
    }

    static String userKeyOf(int i) {
        return String.format("user-key-%08d", i);
    }

    /**
     * {@code keyCount} user keys in order, each with one to three versions of mixed kinds (newest first), values of
     * 0 to {@code maxValueLength} bytes of moderately compressible content.
     */
    static List<InternalEntry> sortedEntries(int keyCount, int maxValueLength, long seed) {
        Random random = new Random(seed);
        List<InternalEntry> entries = new ArrayList<>();
        long sequence = 1_000_000;
        for (int i = 0; i < keyCount; i++) {
            int versions = 1 + random.nextInt(3);
            for (int v = 0; v < versions; v++) {
                ValueKind kind = ValueKind.values()[random.nextInt(ValueKind.values().length)];
                byte[] value = kind == ValueKind.DELETION ? new byte[0]
                        : compressibleValue(random, random.nextInt(maxValueLength + 1));
                sequence -= 1 + random.nextInt(5);
                entries.add(new InternalEntry(InternalKey.encode(bytes(userKeyOf(i)), sequence, kind), value));
            }
        }
        return entries;
    }

    /** Bytes drawn from a small alphabet, so that LZ4 and Zstd find something to save. */
    static byte[] compressibleValue(Random random, int length) {
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) ('a' + random.nextInt(4));
        }
        return value;
    }

    static long writeTable(Path path, TableOptions options, List<InternalEntry> entries) {
        try (WritableFile file = NioFileSystem.instance().create(path)) {
            TableBuilder builder = new TableBuilder(file, options);
            for (InternalEntry entry : entries) {
                builder.add(entry.key(), entry.value());
            }
            long size = builder.finish();
            file.sync();
            return size;
        }
    }

    static TableReader openTable(Path path, BlockCache cache) {
        return TableReader.open(NioFileSystem.instance().openReadable(path), 7, cache);
    }

    /** Small blocks, so that a few thousand entries span many of them. */
    static TableOptions smallBlocks(Compression compression) {
        return new TableOptions(512, 4, compression, 10);
    }

    /**
     * Reads every entry forwards, then steps backwards from the last. Bounded, so that a decoder that loops on
     * damaged input shows up as a wrong count, not a hung test.
     */
    static void walkBothWays(InternalIterator it) {
        int steps = 0;
        for (it.seekToFirst(); it.isValid() && steps < 10_000; it.next()) {
            it.value();
            steps++;
        }
        steps = 0;
        for (it.seekToLast(); it.isValid() && steps < 10_000; it.prev()) {
            steps++;
        }
    }
}
