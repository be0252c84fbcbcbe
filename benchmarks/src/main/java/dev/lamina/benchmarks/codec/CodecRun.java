package dev.lamina.benchmarks.codec;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Compression ratio and speed of the block codecs the engine could use, on 4 KiB blocks shaped like table data
 * blocks (sorted 17-byte keys with an 8-byte trailer, 100-byte values: every other block incompressible, the others
 * drawn from eight letters). Compares the pure-Java codecs (aircompressor's LZ4 and Zstd, which the engine uses, and
 * lz4-java's Java instance) with the JNI ones Kafka's clients bring (lz4-java's native instance, zstd-jni at level 3).
 * Three passes; the first warms up. Run: {@code mvn -B -o -pl benchmarks -Pcodec verify -DskipTests}.
 */
public final class CodecRun {
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 2000;
    private static final int REPEATS = 10;

    /** One codec: compresses into {@code out} and decompresses into {@code out}, returning the bytes produced. */
    interface Codec {
        int bound(int length);

        int compress(byte[] in, int length, byte[] out);

        int decompress(byte[] in, int length, byte[] out);
    }

    private CodecRun() {
    }

    public static void main(String[] args) {
        List<byte[]> blocks = blocks(new Random(1));
        List<Codec> codecs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        add(names, codecs, "aircompressor LZ4 (Lamina)", airlift(new Lz4Compressor(), new Lz4Decompressor()));
        add(names, codecs, "aircompressor Zstd (Lamina)", airlift(new ZstdCompressor(), new ZstdDecompressor()));
        add(names, codecs, "lz4-java " + LZ4Factory.fastestJavaInstance(), lz4(LZ4Factory.fastestJavaInstance()));
        add(names, codecs, "lz4-java " + LZ4Factory.fastestInstance(), lz4(LZ4Factory.fastestInstance()));
        add(names, codecs, "zstd-jni level 3", zstdJni());
        System.out.println("| codec | ratio | compress MB/s | decompress MB/s |\n|---|---|---|---|");
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < codecs.size(); i++) {
                String row = measure(codecs.get(i), blocks, names.get(i));
                if (pass > 0) {
                    System.out.println(row);
                }
            }
        }
    }

    private static void add(List<String> names, List<Codec> codecs, String name, Codec codec) {
        names.add(name);
        codecs.add(codec);
    }

    private static String measure(Codec codec, List<byte[]> blocks, String name) {
        byte[][] compressed = new byte[blocks.size()][];
        int[] lengths = new int[blocks.size()];
        long stored = 0;
        long start = System.nanoTime();
        for (int r = 0; r < REPEATS; r++) {
            for (int i = 0; i < blocks.size(); i++) {
                compressed[i] = new byte[codec.bound(BLOCK)];
                lengths[i] = codec.compress(blocks.get(i), BLOCK, compressed[i]);
                if (r == 0) {
                    stored += lengths[i];
                }
            }
        }
        long compressedAt = System.nanoTime();
        byte[] out = new byte[BLOCK];
        for (int r = 0; r < REPEATS; r++) {
            for (int i = 0; i < blocks.size(); i++) {
                if (codec.decompress(compressed[i], lengths[i], out) != BLOCK) {
                    throw new IllegalStateException(name + " did not restore block " + i);
                }
            }
        }
        long end = System.nanoTime();
        double megabytes = (double) REPEATS * BLOCKS * BLOCK / 1e6;
        return String.format("| %s | %.3f | %.0f | %.0f |", name, (double) stored / ((long) BLOCKS * BLOCK),
                megabytes / ((compressedAt - start) / 1e9), megabytes / ((end - compressedAt) / 1e9));
    }

    private static List<byte[]> blocks(Random random) {
        List<byte[]> blocks = new ArrayList<>();
        int key = 0;
        for (int b = 0; b < BLOCKS; b++) {
            byte[] block = new byte[BLOCK];
            int p = 0;
            while (p < BLOCK - 140) {
                byte[] k = String.format("user-key-%08d", key++).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(k, 0, block, p, k.length);
                p += k.length + 8;
                for (int i = 0; i < 100; i++) {
                    block[p++] = (byte) (b % 2 == 0 ? random.nextInt(256) : 'a' + random.nextInt(8));
                }
            }
            blocks.add(block);
        }
        return blocks;
    }

    private static Codec airlift(Compressor compressor, Decompressor decompressor) {
        return new Codec() {
            public int bound(int length) {
                return compressor.maxCompressedLength(length);
            }

            public int compress(byte[] in, int length, byte[] out) {
                return compressor.compress(in, 0, length, out, 0, out.length);
            }

            public int decompress(byte[] in, int length, byte[] out) {
                return decompressor.decompress(in, 0, length, out, 0, out.length);
            }
        };
    }

    private static Codec lz4(LZ4Factory factory) {
        LZ4Compressor compressor = factory.fastCompressor();
        LZ4SafeDecompressor decompressor = factory.safeDecompressor();
        return new Codec() {
            public int bound(int length) {
                return compressor.maxCompressedLength(length);
            }

            public int compress(byte[] in, int length, byte[] out) {
                return compressor.compress(in, 0, length, out, 0, out.length);
            }

            public int decompress(byte[] in, int length, byte[] out) {
                return decompressor.decompress(in, 0, length, out, 0, out.length);
            }
        };
    }

    private static Codec zstdJni() {
        return new Codec() {
            public int bound(int length) {
                return (int) Zstd.compressBound(length);
            }

            public int compress(byte[] in, int length, byte[] out) {
                return (int) Zstd.compressByteArray(out, 0, out.length, in, 0, length, 3);
            }

            public int decompress(byte[] in, int length, byte[] out) {
                return (int) Zstd.decompressByteArray(out, 0, out.length, in, 0, length);
            }
        };
    }
}
