package dev.lamina.store.wal;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.WriteBatch;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.log.LogFormat;
import dev.lamina.store.util.ByteReader;
import dev.lamina.store.util.ByteWriter;
import dev.lamina.store.util.Coding;
import java.util.Objects;

/**
 * Encodes and decodes write-ahead log record payloads ({@link WalFormat}). Decoding is defensive: any payload that
 * is not a well-formed record, including one with forged lengths or counts, yields a {@link CorruptionException}
 * (without a file; the replayer adds it) and never another exception or an allocation larger than the payload.
 */
public final class WalRecords {

    private WalRecords() {
    }

    /**
     * The payload of a batch record. The engine no longer writes these (it logs ENTRIES at a commit) but still
     * replays them from logs of earlier versions; tests write them to check that replay.
     *
     * @throws IllegalArgumentException if the sequence is negative or the encoded batch would not fit in an array
     */
    public static byte[] encodeBatch(long firstSequence, WriteBatch batch) {
        Objects.requireNonNull(batch, "batch");
        if (firstSequence < 0 || firstSequence > InternalKey.MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence out of range: " + firstSequence);
        }
        long size = WalFormat.BATCH_HEADER_SIZE + encodedSize(batch);
        if (size > LogFormat.MAX_RECORD_SIZE) {
            throw new IllegalArgumentException("write batch of " + size + " encoded bytes exceeds the maximum of "
                    + LogFormat.MAX_RECORD_SIZE + "; split it");
        }
        // Sized exactly so that a batch carrying a 1 GiB value is never copied while it grows.
        ByteWriter out = new ByteWriter((int) size);
        out.writeByte(WalFormat.TYPE_BATCH).writeFixed64(firstSequence).writeFixed32(batch.count());
        batch.forEach(new WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                out.writeByte(WalFormat.OP_PUT).writeLengthPrefixed(key).writeLengthPrefixed(value);
            }

            @Override
            public void delete(byte[] key) {
                out.writeByte(WalFormat.OP_DELETE).writeLengthPrefixed(key);
            }
        });
        return exactArray(out);
    }

    /** The payload of a commit record. */
    public static byte[] encodeCommit(long lastSequence, byte[] metadata) {
        Objects.requireNonNull(metadata, "metadata");
        if (lastSequence < 0 || lastSequence > InternalKey.MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence out of range: " + lastSequence);
        }
        int size = WalFormat.COMMIT_HEADER_SIZE + Coding.varintLength(metadata.length) + metadata.length;
        ByteWriter out = new ByteWriter(size);
        out.writeByte(WalFormat.TYPE_COMMIT).writeFixed64(lastSequence).writeLengthPrefixed(metadata);
        return exactArray(out);
    }

    /**
     * The payload of an entries record: operation {@code i} of {@code batch} carries {@code sequences[i]}.
     *
     * @throws IllegalArgumentException if a sequence is out of range or the record would not fit in an array
     */
    public static byte[] encodeEntries(long[] sequences, WriteBatch batch) {
        new WalRecord.Entries(sequences, batch); // checks the counts agree
        long size = WalFormat.ENTRIES_HEADER_SIZE + encodedSize(batch) + 8L * sequences.length;
        if (size > LogFormat.MAX_RECORD_SIZE) {
            throw new IllegalArgumentException("entries record of " + size + " bytes exceeds the maximum of "
                    + LogFormat.MAX_RECORD_SIZE);
        }
        ByteWriter out = new ByteWriter((int) size);
        out.writeByte(WalFormat.TYPE_ENTRIES).writeFixed32(batch.count());
        int[] i = {0};
        batch.forEach(new WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                out.writeByte(WalFormat.OP_PUT).writeFixed64(sequence(sequences[i[0]++]));
                out.writeLengthPrefixed(key).writeLengthPrefixed(value);
            }

            @Override
            public void delete(byte[] key) {
                out.writeByte(WalFormat.OP_DELETE).writeFixed64(sequence(sequences[i[0]++]));
                out.writeLengthPrefixed(key);
            }
        });
        return exactArray(out);
    }

    private static long sequence(long s) {
        if (s < 0 || s > InternalKey.MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence out of range: " + s);
        }
        return s;
    }

    /** Encoded bytes of the batch's operations: kind bytes, lengths, keys and values. */
    private static long encodedSize(WriteBatch batch) {
        long[] size = {0};
        batch.forEach(new WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                size[0] += 1 + Coding.varintLength(key.length) + key.length + Coding.varintLength(value.length)
                        + value.length;
            }

            @Override
            public void delete(byte[] key) {
                size[0] += 1 + Coding.varintLength(key.length) + key.length;
            }
        });
        return size[0];
    }

    private static byte[] exactArray(ByteWriter out) {
        return out.array().length == out.size() ? out.array() : out.toByteArray();
    }

    /**
     * Decodes a payload written by {@link #encodeBatch}, {@link #encodeCommit} or {@link #encodeEntries}.
     *
     * @throws CorruptionException if the payload is not a well-formed record
     */
    public static WalRecord decode(byte[] payload) {
        ByteReader in = new ByteReader(payload);
        int type = in.readByte();
        WalRecord record = switch (type) {
            case WalFormat.TYPE_BATCH -> decodeBatch(in);
            case WalFormat.TYPE_COMMIT -> decodeCommit(in);
            case WalFormat.TYPE_ENTRIES -> decodeEntries(in);
            default -> throw new CorruptionException("unknown WAL record type " + type);
        };
        if (in.hasRemaining()) {
            throw new CorruptionException(in.remaining() + " bytes after the end of a WAL record");
        }
        return record;
    }

    private static WalRecord.Batch decodeBatch(ByteReader in) {
        long firstSequence = in.readFixed64();
        long count = in.readFixed32() & 0xffffffffL;
        // Checked before the loop so that a forged count fails at once rather than after reading garbage as ops.
        if (count > in.remaining() / WalFormat.MIN_OP_SIZE) {
            throw new CorruptionException("batch claims " + count + " operations in " + in.remaining() + " bytes");
        }
        if (firstSequence < 0 || firstSequence > InternalKey.MAX_SEQUENCE
                || firstSequence + count - 1 > InternalKey.MAX_SEQUENCE) {
            throw new CorruptionException("batch sequence out of range: " + firstSequence + " + " + count);
        }
        WriteBatch batch = new WriteBatch();
        for (long i = 0; i < count; i++) {
            int kind = in.readByte();
            byte[] key = readBounded(in, WriteBatch.MAX_KEY_SIZE, "key");
            switch (kind) {
                case WalFormat.OP_PUT -> batch.put(key, readBounded(in, WriteBatch.MAX_VALUE_SIZE, "value"));
                case WalFormat.OP_DELETE -> batch.delete(key);
                default -> throw new CorruptionException("unknown operation kind " + kind + " in a WAL batch");
            }
        }
        return new WalRecord.Batch(firstSequence, batch);
    }

    private static WalRecord.Entries decodeEntries(ByteReader in) {
        long count = in.readFixed32() & 0xffffffffL;
        if (count > in.remaining() / WalFormat.MIN_ENTRY_SIZE) {
            throw new CorruptionException("entries record claims " + count + " entries in " + in.remaining()
                    + " bytes");
        }
        long[] sequences = new long[(int) count];
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < count; i++) {
            int kind = in.readByte();
            sequences[i] = in.readFixed64();
            if (sequences[i] < 0 || sequences[i] > InternalKey.MAX_SEQUENCE) {
                throw new CorruptionException("entry sequence out of range: " + sequences[i]);
            }
            byte[] key = readBounded(in, WriteBatch.MAX_KEY_SIZE, "key");
            switch (kind) {
                case WalFormat.OP_PUT -> batch.put(key, readBounded(in, WriteBatch.MAX_VALUE_SIZE, "value"));
                case WalFormat.OP_DELETE -> batch.delete(key);
                default -> throw new CorruptionException("unknown operation kind " + kind + " in a WAL entries record");
            }
        }
        return new WalRecord.Entries(sequences, batch);
    }

    private static byte[] readBounded(ByteReader in, int max, String what) {
        int length = in.readVarint32();
        if (length > max) {
            throw new CorruptionException(what + " length " + length + " exceeds the maximum of " + max);
        }
        return in.readBytes(length);
    }

    private static WalRecord.Commit decodeCommit(ByteReader in) {
        long lastSequence = in.readFixed64();
        if (lastSequence < 0 || lastSequence > InternalKey.MAX_SEQUENCE) {
            throw new CorruptionException("commit sequence out of range: " + lastSequence);
        }
        return new WalRecord.Commit(lastSequence, in.readLengthPrefixed());
    }
}
