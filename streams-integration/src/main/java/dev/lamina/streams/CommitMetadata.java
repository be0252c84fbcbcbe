package dev.lamina.streams;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.query.Position;

/**
 * What a Kafka Streams store records with each engine commit: the changelog offsets, the query position, the
 * store's value format, and the engine sequence the commit covers. Encoded (big-endian) as
 * <pre>
 * byte  version (1)
 * byte  format: 0 plain, 1 timestamped
 * byte  flags: bit 0 = tail is restore-only (nothing but changelog restores may follow this commit)
 * long  engine sequence of the last write before the commit
 * int   offset count, then per offset: short topic length, topic (UTF-8), int partition, long offset
 * int   position topic count, then per topic: short length, topic, int count, then (int partition, long offset)
 * </pre>
 *
 * @param format          the value format of the store
 * @param sequence        the engine's last sequence when the commit was made
 * @param restoreOnlyTail true while the store has taken no writes but restores since it opened; a crash then
 *                        leaves only committed changelog data after this commit
 * @param offsets         committed changelog offsets
 * @param position        the query position at the commit
 */
record CommitMetadata(StoreFormat format, long sequence, boolean restoreOnlyTail, Map<TopicPartition, Long> offsets,
        Position position) {

    static final byte VERSION = 1;

    /** The value format of a store, recorded so that a store is never read in the other format. */
    enum StoreFormat {
        PLAIN, TIMESTAMPED
    }

    CommitMetadata {
        offsets = Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(format.ordinal());
            out.writeByte(restoreOnlyTail ? 1 : 0);
            out.writeLong(sequence);
            out.writeInt(offsets.size());
            for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
                writeString(out, e.getKey().topic());
                out.writeInt(e.getKey().partition());
                out.writeLong(e.getValue());
            }
            out.writeInt(position.getTopics().size());
            for (String topic : position.getTopics()) {
                Map<Integer, Long> partitions = position.getPartitionPositions(topic);
                writeString(out, topic);
                out.writeInt(partitions.size());
                for (Map.Entry<Integer, Long> p : partitions.entrySet()) {
                    out.writeInt(p.getKey());
                    out.writeLong(p.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes metadata written by {@link #encode()}.
     *
     * @throws IllegalArgumentException when the bytes are not valid metadata of a known version
     */
    static CommitMetadata decode(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown commit metadata version " + version
                        + " (written by a newer Lamina?)");
            }
            int formatCode = in.get();
            if (formatCode < 0 || formatCode >= StoreFormat.values().length) {
                throw new IllegalArgumentException("unknown store format " + formatCode);
            }
            boolean restoreOnlyTail = (in.get() & 1) != 0;
            long sequence = in.getLong();
            int count = count(in);
            Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String topic = readString(in);
                offsets.put(new TopicPartition(topic, in.getInt()), in.getLong());
            }
            Position position = Position.emptyPosition();
            int topics = count(in);
            for (int i = 0; i < topics; i++) {
                String topic = readString(in);
                int partitions = count(in);
                for (int p = 0; p < partitions; p++) {
                    position.withComponent(topic, in.getInt(), in.getLong());
                }
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes");
            }
            return new CommitMetadata(StoreFormat.values()[formatCode], sequence, restoreOnlyTail, offsets, position);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated commit metadata (" + data.length + " bytes)", e);
        }
    }

    private static int count(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("invalid count " + n);
        }
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("topic name too long: " + b.length + " bytes");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        int length = in.getShort();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("invalid string length " + length);
        }
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
