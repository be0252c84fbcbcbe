package dev.lamina.streams;

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Opens bytes stores from suppliers outside a topology, and drains iterators. */
final class StoreHarness {
    private StoreHarness() {
    }

    /** A store from {@code supplier}, initialised in {@code stateDir}; the context is returned in {@code out}. */
    static KeyValueStore<Bytes, byte[]> open(KeyValueBytesStoreSupplier supplier, TestStoreContext context) {
        KeyValueStore<Bytes, byte[]> store = supplier.get();
        store.init((StateStoreContext) context, store);
        return store;
    }

    static TestStoreContext context(File stateDir) {
        return new TestStoreContext(stateDir);
    }

    /** Applies a restore batch through the callback the store registered, as Kafka Streams does. */
    static void restore(TestStoreContext context, Collection<ConsumerRecord<byte[], byte[]>> records) {
        ((RecordBatchingStateRestoreCallback) context.restoreCallback).restoreBatch(records);
    }

    static List<ConsumerRecord<byte[], byte[]>> changelog(String topic, long firstOffset,
            List<KeyValue<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long offset = firstOffset;
        for (KeyValue<byte[], byte[]> kv : records) {
            out.add(new ConsumerRecord<>(topic, 0, offset++, kv.key, kv.value));
        }
        return out;
    }

    /** Every entry of the iterator as {@code key=value} strings (key in hex, value digested), closing it. */
    static List<String> drain(KeyValueIterator<Bytes, byte[]> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            while (it.hasNext()) {
                Bytes peeked = it.peekNextKey();
                KeyValue<Bytes, byte[]> kv = it.next();
                if (!peeked.equals(kv.key)) {
                    throw new AssertionError("peekNextKey " + peeked + " but next " + kv.key);
                }
                out.add(hex(kv.key.get()) + "=" + digest(kv.value));
            }
        }
        return out;
    }

    /** A short stand-in for a value: its length and CRC-32C. */
    static String digest(byte[] b) {
        if (b == null) {
            return "null";
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b);
        return b.length + ":" + Long.toHexString(crc.getValue());
    }

    static String hex(byte[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return s.toString();
    }
}
