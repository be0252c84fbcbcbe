package dev.lamina.store.table;

import dev.lamina.store.Compression;
import dev.lamina.store.CorruptionException;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.util.ByteReader;
import dev.lamina.store.util.ByteWriter;
import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Stores and loads blocks: per-block compression, the {@link TableFormat#BLOCK_TRAILER_SIZE}-byte trailer
 * (compression code, masked CRC32C over the code byte followed by the stored bytes) and its verification on every
 * read from disk. A compressed payload is {@code [uncompressed length varint][compressed bytes]}; the length is
 * bounded by {@link TableFormat#MAX_BLOCK_SIZE} before anything is allocated. Stateless and thread-safe.
 */
final class BlockCodec {
    // Pure Java (aircompressor): no native library is loaded. The instances keep working tables, so one per thread.
    // Their LZ4 and Zstd are the standard block and frame formats, so blocks written by native codecs read back.
    private static final ThreadLocal<Compressor> LZ4_COMPRESSOR = ThreadLocal.withInitial(Lz4Compressor::new);
    private static final ThreadLocal<Decompressor> LZ4_DECOMPRESSOR = ThreadLocal.withInitial(Lz4Decompressor::new);
    private static final ThreadLocal<Compressor> ZSTD_COMPRESSOR = ThreadLocal.withInitial(ZstdCompressor::new);
    private static final ThreadLocal<Decompressor> ZSTD_DECOMPRESSOR =
            ThreadLocal.withInitial(ZstdDecompressor::new);

    private BlockCodec() {
    }

    /**
     * Compresses {@code raw[0, length)} if that saves enough, appends the stored bytes and the trailer to
     * {@code file}, and returns the stored size (the handle's size, without the trailer).
     */
    static int write(WritableFile file, byte[] raw, int length, Compression compression) {
        if (length > TableFormat.MAX_BLOCK_SIZE) {
            throw new IllegalStateException("block of " + length + " bytes exceeds the format's maximum of "
                    + TableFormat.MAX_BLOCK_SIZE);
        }
        byte[] stored = raw;
        int storedLength = length;
        Compression used = Compression.NONE;
        if (compression != Compression.NONE) {
            byte[] compressed = compress(raw, length, compression);
            if (compressed.length <= length - length / TableFormat.COMPRESSION_MIN_SAVING_DIVISOR) {
                stored = compressed;
                storedLength = compressed.length;
                used = compression;
            }
        }
        byte[] trailer = new byte[TableFormat.BLOCK_TRAILER_SIZE];
        trailer[0] = (byte) used.code();
        Coding.putFixed32(trailer, 1, Crc32c.mask(Crc32c.compute(used.code(), stored, 0, storedLength)));
        file.append(stored, 0, storedLength);
        file.append(trailer);
        return storedLength;
    }

    private static byte[] compress(byte[] raw, int length, Compression compression) {
        byte[] lengthPrefix = new ByteWriter(5).writeVarint32(length).toByteArray();
        int prefix = lengthPrefix.length;
        Compressor compressor = switch (compression) {
            case LZ4 -> LZ4_COMPRESSOR.get();
            case ZSTD -> ZSTD_COMPRESSOR.get();
            default -> throw new IllegalArgumentException("not a compression: " + compression);
        };
        byte[] out = new byte[prefix + compressor.maxCompressedLength(length)];
        int compressedLength = compressor.compress(raw, 0, length, out, prefix, out.length - prefix);
        System.arraycopy(lengthPrefix, 0, out, 0, prefix);
        return Arrays.copyOf(out, prefix + compressedLength);
    }

    /** Reads the block at {@code handle}, verifies its trailer and returns its uncompressed contents. */
    static byte[] read(ReadableFile file, BlockHandle handle) {
        Path path = file.path();
        if (handle.size() > TableFormat.MAX_STORED_BLOCK_SIZE || handle.size() < 0) {
            throw new CorruptionException("block size " + handle.size() + " out of range", path, handle.offset());
        }
        int storedLength = (int) handle.size();
        byte[] buffer = readFully(file, handle.offset(), storedLength + TableFormat.BLOCK_TRAILER_SIZE);
        int code = buffer[storedLength] & 0xff;
        int expected = Crc32c.unmask(Coding.getFixed32(buffer, storedLength + 1));
        if (Crc32c.compute(code, buffer, 0, storedLength) != expected) {
            throw new CorruptionException("block checksum mismatch", path, handle.offset());
        }
        return decode(code, buffer, storedLength, path, handle.offset());
    }

    /**
     * Reads exactly {@code length} bytes at {@code offset}; a short read means the file was cut and is reported as
     * corruption.
     */
    static byte[] readFully(ReadableFile file, long offset, int length) {
        byte[] buffer = new byte[length];
        int read = file.read(offset, buffer, 0, length);
        if (read != length) {
            throw new CorruptionException("truncated table: wanted " + length + " bytes, file has " + read,
                    file.path(), offset);
        }
        return buffer;
    }

    /** Turns checksum-verified stored bytes {@code stored[0, length)} into the block's uncompressed contents. */
    static byte[] decode(int code, byte[] stored, int length, Path file, long offset) {
        Compression compression = Compression.fromCode(code);
        if (compression == null) {
            throw new CorruptionException("unknown block compression code " + code, file, offset);
        }
        if (compression == Compression.NONE) {
            return length == stored.length ? stored : Arrays.copyOf(stored, length);
        }
        try {
            ByteReader in = new ByteReader(stored, 0, length);
            long uncompressedLength = in.readVarint64();
            if (uncompressedLength < 0 || uncompressedLength > TableFormat.MAX_BLOCK_SIZE) {
                throw new CorruptionException("uncompressed block length " + uncompressedLength + " out of range");
            }
            int start = in.position();
            byte[] out = new byte[(int) uncompressedLength];
            Decompressor decompressor = compression == Compression.LZ4 ? LZ4_DECOMPRESSOR.get()
                    : ZSTD_DECOMPRESSOR.get();
            int produced = decompressor.decompress(stored, start, length - start, out, 0, out.length);
            if (produced != out.length) {
                throw new CorruptionException("block decompressed to " + produced + " bytes, header says "
                        + out.length);
            }
            return out;
        } catch (CorruptionException e) {
            throw new CorruptionException("bad " + compression + " block: " + e.getMessage(), file, offset, e);
        } catch (RuntimeException e) {
            // MalformedInputException and bounds errors: the codecs' own words for a malformed payload.
            throw new CorruptionException("cannot decompress " + compression + " block: " + e.getMessage(), file,
                    offset, e);
        }
    }

}
