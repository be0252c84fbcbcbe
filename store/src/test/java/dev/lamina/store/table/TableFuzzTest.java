package dev.lamina.store.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.store.Compression;
import dev.lamina.store.CorruptionException;
import dev.lamina.store.cache.BlockCache;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damages blocks and footer fields and then repairs their checksums, so that the garbage gets past the checksum
 * and reaches the decoders. Whatever the damage, the only acceptable failure is {@link CorruptionException} naming
 * the file; reads that succeed are fine (a forged but well-formed table is just another table).
 */
class TableFuzzTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"NONE", "LZ4"})
    void garbageBehindValidChecksumsFailsOnlyWithCorruption(Compression compression) throws Exception {
        List<InternalEntry> entries = TableFixtures.sortedEntries(150, 30, 41);
        Path path = dir.resolve("fuzz-source.sst");
        TableFixtures.writeTable(path, new TableOptions(400, 3, compression, 10), entries);
        byte[] original = Files.readAllBytes(path);
        int footerOffset = original.length - TableFormat.FOOTER_SIZE;
        Footer footer = Footer.decode(Arrays.copyOfRange(original, footerOffset, original.length), path,
                footerOffset);
        BlockHandle[] blocks = {new BlockHandle(0, firstBlockSize(original, footer)), footer.index(),
            footer.filter()};
        Random random = new Random(42);
        Path damaged = dir.resolve("fuzzed.sst");
        for (int round = 0; round < 400; round++) {
            byte[] copy = original.clone();
            if (round % 4 == 3) {
                forgeFooterField(copy, footerOffset, random);
            } else {
                BlockHandle target = blocks[round % 3];
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    int at = (int) target.offset() + random.nextInt((int) target.size());
                    copy[at] ^= (byte) (1 + random.nextInt(255));
                }
                resealBlock(copy, target);
            }
            Files.write(damaged, copy);
            try {
                readEverything(damaged, entries, random);
            } catch (CorruptionException expected) {
                assertEquals(damaged, expected.file(), expected.getMessage());
            }
        }
    }

    /** Stored size of the first data block, read from the index. */
    private static long firstBlockSize(byte[] table, Footer footer) {
        byte[] indexContents = BlockCodec.decode(table[(int) (footer.index().offset() + footer.index().size())],
                Arrays.copyOfRange(table, (int) footer.index().offset(),
                        (int) (footer.index().offset() + footer.index().size())),
                (int) footer.index().size(), null, 0);
        long dataEnd = footer.filter().offset();
        return TableIndex.decode(new Block(indexContents, null, 0), null, 0, dataEnd).handle(0).size();
    }

    private static void resealBlock(byte[] table, BlockHandle handle) {
        int size = (int) handle.size();
        int trailer = (int) handle.offset() + size;
        int crc = Crc32c.compute(table[trailer] & 0xff, table, (int) handle.offset(), size);
        Coding.putFixed32(table, trailer + 1, Crc32c.mask(crc));
    }

    private static void forgeFooterField(byte[] table, int footerOffset, Random random) {
        // One of the five fixed64 fields: two handles and the entry count.
        int field = footerOffset + 8 * random.nextInt(5);
        long value = switch (random.nextInt(3)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextInt(table.length + 100);
            default -> Coding.getFixed64(table, field) + random.nextInt(21) - 10;
        };
        Coding.putFixed64(table, field, value);
        Coding.putFixed32(table, footerOffset + TableFormat.FOOTER_CHECKSUMMED_SIZE,
                Crc32c.mask(Crc32c.compute(table, footerOffset, TableFormat.FOOTER_CHECKSUMMED_SIZE)));
    }

    private static void readEverything(Path path, List<InternalEntry> entries, Random random) {
        try (TableReader table = TableFixtures.openTable(path, new BlockCache(0));
             InternalIterator it = table.newIterator()) {
            TableFixtures.walkBothWays(it);
            for (int i = 0; i < 20; i++) {
                InternalEntry probe = entries.get(random.nextInt(entries.size()));
                table.get(InternalKey.userKey(probe.key()), probe.sequence());
                it.seek(probe.key());
            }
        }
    }
}
