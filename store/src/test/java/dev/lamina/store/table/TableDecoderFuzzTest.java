package dev.lamina.store.table;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Compression;
import dev.lamina.store.CorruptionException;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.fault.MemoryFiles;
import dev.lamina.store.fault.MutationFuzzer;
import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.util.ByteReader;
import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of the table decoders: whole tables opened and walked (with checksums repaired, so garbage
 * reaches the footer, index, filter and block decoders), block contents, compressed payloads and filters on their
 * own. The only acceptable failure is {@link CorruptionException}; allocations are bounded by the format's
 * {@link TableFormat#MAX_BLOCK_SIZE}, which a reader may allocate for one block before decompressing it.
 */
class TableDecoderFuzzTest {
    private static final Path PATH = Path.of("fuzz", "000007.sst");
    /** One block of the largest size the format allows, plus room for the decoder's own bookkeeping. */
    private static final long ONE_MAX_BLOCK = TableFormat.MAX_BLOCK_SIZE + (8L << 20);

    private static byte[] table(List<InternalEntry> entries, TableOptions options) {
        MemoryFiles.Writable file = new MemoryFiles.Writable(PATH);
        TableBuilder builder = new TableBuilder(file, options);
        for (InternalEntry e : entries) {
            builder.add(e.key(), e.value());
        }
        builder.finish();
        return file.toByteArray();
    }

    @Test
    void tablesBuiltFromArbitraryBytesOpenAndReadOrAreReportedAsCorruption() {
        List<InternalEntry> entries = TableFixtures.sortedEntries(60, 40, 9);
        MutationFuzzer fuzzer = new MutationFuzzer("table open and read", 45).allow(CorruptionException.class)
                .repairWith(TableDecoderFuzzTest::resealTable)
                .maxAllocation(n -> 4 * ONE_MAX_BLOCK + 64L * n);
        for (Compression c : Compression.values()) {
            fuzzer.seed(table(entries, new TableOptions(256, 3, c, 10)));
        }
        fuzzer.seed(table(entries.subList(0, 5), new TableOptions(256, 1, Compression.NONE, 0)));
        fuzzer.seed(table(List.of(), new TableOptions(256, 1, Compression.NONE, 10)));
        Random probes = new Random(1);
        long inputs = fuzzer.run(input -> {
            try (TableReader reader = TableReader.open(new MemoryFiles.Readable(PATH, input), 7, new BlockCache(0));
                 InternalIterator it = reader.newIterator()) {
                TableFixtures.walkBothWays(it);
                for (int i = 0; i < 5; i++) {
                    InternalEntry probe = entries.get(probes.nextInt(entries.size()));
                    reader.get(InternalKey.userKey(probe.key()), probe.sequence());
                    it.seek(probe.key());
                }
            }
        });
        System.out.println("TableDecoderFuzzTest tables: " + inputs + " inputs");
        assertTrue(inputs > 100, "too few inputs: " + inputs);
    }

    @Test
    void arbitraryBlockContentsIterateOrAreReportedAsCorruption() {
        List<InternalEntry> entries = TableFixtures.sortedEntries(40, 30, 10);
        MutationFuzzer fuzzer = new MutationFuzzer("block contents", 46).allow(CorruptionException.class);
        for (int interval : new int[] {1, 4, 16}) {
            BlockBuilder builder = new BlockBuilder(interval);
            for (InternalEntry e : entries) {
                builder.add(e.key(), e.value());
            }
            fuzzer.seed(builder.finish().toByteArray());
        }
        fuzzer.seed(new byte[4]);
        long inputs = fuzzer.run(input -> {
            BlockIterator it = new Block(input, PATH, 0).newIterator();
            TableFixtures.walkBothWays(it);
            for (InternalEntry e : entries.subList(0, 8)) {
                it.seek(e.key());
            }
        });
        System.out.println("TableDecoderFuzzTest blocks: " + inputs + " inputs");
        assertTrue(inputs > 100, "too few inputs: " + inputs);
    }

    @Test
    void arbitraryCompressedPayloadsDecompressOrAreReportedAsCorruption() {
        Random random = new Random(11);
        MutationFuzzer fuzzer = new MutationFuzzer("compressed blocks", 47).allow(CorruptionException.class)
                .maxAllocation(n -> ONE_MAX_BLOCK + 64L * n);
        for (Compression c : new Compression[] {Compression.LZ4, Compression.ZSTD}) {
            byte[] raw = TableFixtures.compressibleValue(random, 3000);
            MemoryFiles.Writable file = new MemoryFiles.Writable(PATH);
            int stored = BlockCodec.write(file, raw, raw.length, c);
            byte[] bytes = file.toByteArray();
            // The input is the code byte followed by the stored bytes, so mutations can change the codec too.
            byte[] seed = new byte[stored + 1];
            seed[0] = bytes[stored];
            System.arraycopy(bytes, 0, seed, 1, stored);
            fuzzer.seed(seed);
        }
        long inputs = fuzzer.run(input -> {
            if (input.length > 0) {
                BlockCodec.decode(input[0] & 0xff, Arrays.copyOfRange(input, 1, input.length), input.length - 1,
                        PATH, 0);
            }
        });
        System.out.println("TableDecoderFuzzTest compressed: " + inputs + " inputs");
        assertTrue(inputs > 100, "too few inputs: " + inputs);
    }

    @Test
    void arbitraryFilterBlocksDecodeOrAreReportedAsCorruption() {
        MutationFuzzer fuzzer = new MutationFuzzer("bloom filters", 48).allow(CorruptionException.class);
        int[] hashes = new int[50];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = BloomFilter.hash(("k" + i).getBytes(), 0, ("k" + i).length());
        }
        fuzzer.seed(BloomFilter.build(hashes, hashes.length, 10)).seed(BloomFilter.build(hashes, 1, 1));
        long inputs = fuzzer.run(input -> {
            BloomFilter filter = BloomFilter.decode(input, PATH, 0);
            for (int i = 0; i < 20; i++) {
                filter.mayContain(("k" + i).getBytes());
            }
        });
        System.out.println("TableDecoderFuzzTest filters: " + inputs + " inputs");
        assertTrue(inputs > 100, "too few inputs: " + inputs);
    }

    /**
     * Repairs what checksums it can find: the footer's, then the trailers of the index and filter blocks it names,
     * then those of the data blocks the index names. Best effort: whatever does not parse stays as it is.
     */
    static byte[] resealTable(byte[] t) {
        int footer = t.length - TableFormat.FOOTER_SIZE;
        if (footer < 0 || Coding.getFixed64(t, footer + 48) != TableFormat.MAGIC) {
            return t;
        }
        Coding.putFixed32(t, footer + TableFormat.FOOTER_CHECKSUMMED_SIZE,
                Crc32c.mask(Crc32c.compute(t, footer, TableFormat.FOOTER_CHECKSUMMED_SIZE)));
        resealBlock(t, Coding.getFixed64(t, footer), Coding.getFixed64(t, footer + 8), footer);
        long indexOffset = Coding.getFixed64(t, footer + 16);
        long indexSize = Coding.getFixed64(t, footer + 24);
        if (!resealBlock(t, indexOffset, indexSize, footer)) {
            return t;
        }
        try {
            byte[] contents = BlockCodec.decode(t[(int) (indexOffset + indexSize)] & 0xff,
                    Arrays.copyOfRange(t, (int) indexOffset, (int) (indexOffset + indexSize)), (int) indexSize, PATH,
                    indexOffset);
            BlockIterator it = new Block(contents, PATH, indexOffset).newIterator();
            for (it.seekToFirst(); it.isValid(); it.next()) {
                BlockHandle h = BlockHandle.readVarints(new ByteReader(it.value()));
                resealBlock(t, h.offset(), h.size(), footer);
            }
        } catch (CorruptionException e) {
            // an index that does not decode: the reader will say so
        }
        return t;
    }

    private static boolean resealBlock(byte[] t, long offset, long size, int limit) {
        if (offset < 0 || size < 0 || size > limit || offset > limit - size - TableFormat.BLOCK_TRAILER_SIZE) {
            return false;
        }
        int trailer = (int) (offset + size);
        int crc = Crc32c.compute(t[trailer] & 0xff, t, (int) offset, (int) size);
        Coding.putFixed32(t, trailer + 1, Crc32c.mask(crc));
        return true;
    }
}
