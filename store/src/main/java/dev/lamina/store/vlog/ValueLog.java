package dev.lamina.store.vlog;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.io.FileSystem;
import dev.lamina.store.io.ReadableFile;
import dev.lamina.store.util.Coding;
import dev.lamina.store.util.Crc32c;
import dev.lamina.store.version.FileNames;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads separated values: resolves a pointer to its value through the value cache (the store's block cache,
 * which draws on the memory budget), checking the entry as {@link ChecksumLevel} says. A missing file, a short read
 * or a mismatch is a {@link CorruptionException} naming the file and offset; never a wrong value. A file is opened
 * once, validated (header magic, version, number, CRC), and closed when it is deleted.
 */
public final class ValueLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValueLog.class);

    private final FileSystem fs;
    private final Path dir;
    private final BlockCache cache;
    private final long cachePartition;
    private final ChecksumLevel checksums;
    private final ConcurrentHashMap<Long, ReadableFile> files = new ConcurrentHashMap<>();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();

    public ValueLog(FileSystem fs, Path dir, BlockCache cache, long cachePartition, ChecksumLevel checksums) {
        this.fs = fs;
        this.dir = dir;
        this.cache = cache;
        this.cachePartition = cachePartition;
        this.checksums = checksums;
    }

    /** The value {@code pointer} points to, for {@code userKey}. The returned array is the caller's. */
    public byte[] read(byte[] userKey, ValuePointer pointer) {
        boolean[] loaded = {false};
        byte[] value = cache.getOrLoad(BlockCache.fileKey(cachePartition, pointer.fileNumber()), pointer.offset(),
                () -> {
                    loaded[0] = true;
                    return readFromFile(userKey, pointer);
                });
        (loaded[0] ? cacheMisses : cacheHits).increment();
        return value.clone();
    }

    /**
     * The whole entry {@code pointer} points to (lengths, key, value, CRC), read from its file and checked as
     * {@link ChecksumLevel} says, for garbage collection to copy as it is: neither looked up in nor added to the
     * cache (a collected value is seldom read again), and its CRC travels with it, so a copy never gets a fresh CRC
     * over damaged bytes.
     */
    public byte[] readEntry(byte[] userKey, ValuePointer p) {
        Path path = dir.resolve(FileNames.vlog(p.fileNumber()));
        ReadableFile file = open(p.fileNumber(), path);
        long size = p.entrySize();
        if (size > Integer.MAX_VALUE) {
            throw new CorruptionException("value pointer to an entry of " + size + " bytes", path, p.offset());
        }
        byte[] entry = new byte[(int) size];
        int n = file.read(p.offset(), entry, 0, entry.length);
        bytesRead.add(n);
        if (n < entry.length) {
            throw new CorruptionException("value-log entry truncated: " + n + " of " + entry.length + " bytes", path,
                    p.offset());
        }
        if (checksums != ChecksumLevel.OFF) {
            checkEntry(entry, userKey, p, path);
        }
        return entry;
    }

    private byte[] readFromFile(byte[] userKey, ValuePointer p) {
        byte[] entry = readEntry(userKey, p);
        return Arrays.copyOfRange(entry, VlogFormat.ENTRY_HEADER_SIZE + p.keySize(),
                VlogFormat.ENTRY_HEADER_SIZE + p.keySize() + p.valueSize());
    }

    private void checkEntry(byte[] entry, byte[] userKey, ValuePointer p, Path path) {
        int crcAt = entry.length - VlogFormat.ENTRY_TRAILER_SIZE;
        boolean sizesMatch = Coding.getFixed32(entry, 0) == p.keySize() && Coding.getFixed32(entry, 4) == p.valueSize();
        boolean keyMatches = Arrays.equals(entry, VlogFormat.ENTRY_HEADER_SIZE,
                VlogFormat.ENTRY_HEADER_SIZE + p.keySize(), userKey, 0, userKey.length);
        if (!sizesMatch || !keyMatches || Coding.getFixed32(entry, crcAt) != p.checksum()) {
            throw new CorruptionException("value-log entry does not match its pointer (sizes "
                    + (sizesMatch ? "ok" : "differ") + ", key " + (keyMatches ? "ok" : "differs") + ")", path,
                    p.offset());
        }
        if (checksums == ChecksumLevel.FULL && Crc32c.mask(Crc32c.compute(entry, 0, crcAt)) != p.checksum()) {
            throw new CorruptionException("value-log entry checksum mismatch", path, p.offset());
        }
    }

    private ReadableFile open(long number, Path path) {
        ReadableFile file = files.get(number);
        if (file != null) {
            return file;
        }
        return files.computeIfAbsent(number, n -> {
            if (!fs.exists(path)) {
                throw new CorruptionException("value pointer names a missing value-log file", path, -1);
            }
            ReadableFile f = fs.openReadable(path);
            try {
                checkHeader(f, n, path);
                return f;
            } catch (RuntimeException e) {
                f.close();
                throw e;
            }
        });
    }

    private static void checkHeader(ReadableFile f, long number, Path path) {
        byte[] h = new byte[VlogFormat.HEADER_SIZE];
        if (f.read(0, h, 0, h.length) < h.length) {
            throw new CorruptionException("value-log header truncated", path, 0);
        }
        if (Crc32c.mask(Crc32c.compute(h, 0, VlogFormat.HEADER_CRC_OFFSET))
                != Coding.getFixed32(h, VlogFormat.HEADER_CRC_OFFSET)) {
            throw new CorruptionException("value-log header checksum mismatch", path, 0);
        }
        if (Coding.getFixed32(h, 0) != VlogFormat.MAGIC) {
            throw new CorruptionException("not a value-log file (bad magic)", path, 0);
        }
        int version = Coding.getFixed32(h, 4);
        if (version != VlogFormat.FORMAT_VERSION) {
            throw new CorruptionException("unsupported value-log format version " + version, path, 4);
        }
        if (Coding.getFixed64(h, 8) != number) {
            throw new CorruptionException("value-log header names file " + Coding.getFixed64(h, 8), path, 8);
        }
        if (h[VlogFormat.OFFSET_COMPRESSION] != VlogFormat.COMPRESSION_NONE) {
            throw new CorruptionException("unsupported value-log compression " + h[VlogFormat.OFFSET_COMPRESSION],
                    path, VlogFormat.OFFSET_COMPRESSION);
        }
    }

    /**
     * Closes a deleted file; returns the key of its values in the block cache, for the caller to drop with
     * {@link BlockCache#evictFiles}.
     */
    public long close(long number) {
        ReadableFile f = files.remove(number);
        if (f != null) {
            try {
                f.close();
            } catch (LaminaIOException e) {
                LOG.warn("Closing value-log file {} failed", number, e);
            }
        }
        return BlockCache.fileKey(cachePartition, number);
    }

    public long cacheHits() {
        return cacheHits.sum();
    }

    public long cacheMisses() {
        return cacheMisses.sum();
    }

    public long bytesRead() {
        return bytesRead.sum();
    }

    @Override
    public void close() {
        for (Long n : files.keySet()) {
            ReadableFile f = files.remove(n);
            if (f != null) {
                try {
                    f.close();
                } catch (LaminaIOException e) {
                    LOG.warn("Closing value-log file {} failed", n, e);
                }
            }
        }
    }
}
