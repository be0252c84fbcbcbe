package dev.lamina.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * The deterministic workload of the crash tests: batch {@code i} writes a few keys chosen by a generator seeded
 * with {@code i} and sets {@link #COUNTER} to {@code i}, so the store after a crash must equal the model of
 * batches {@code 1..COUNTER}. Commits carry the batch number as metadata.
 */
final class CrashWorkload {
    static final byte[] COUNTER = "__batch".getBytes(StandardCharsets.UTF_8);
    static final int COMMIT_EVERY = 16;
    static final int FLUSH_EVERY = 700;

    private CrashWorkload() {
    }

    static WriteBatch batch(long i) {
        WriteBatch batch = new WriteBatch();
        apply(i, new WriteBatch.Handler() {
            @Override
            public void put(byte[] key, byte[] value) {
                batch.put(key, value);
            }

            @Override
            public void delete(byte[] key) {
                batch.delete(key);
            }
        });
        return batch;
    }

    static void apply(long i, WriteBatch.Handler handler) {
        Random random = new Random(i * 0x9E3779B97F4A7C15L);
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            byte[] key = ("key-" + random.nextInt(3000)).getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(5) == 0) {
                handler.delete(key);
            } else {
                byte[] value = new byte[random.nextInt(10) == 0 ? 2000 + random.nextInt(6000) : random.nextInt(120)];
                random.nextBytes(value);
                handler.put(key, value);
            }
        }
        handler.put(COUNTER, encode(i));
    }

    /** The store's contents after batches 1..n. */
    static NavigableMap<byte[], byte[]> model(long n) {
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        for (long i = 1; i <= n; i++) {
            apply(i, new WriteBatch.Handler() {
                @Override
                public void put(byte[] key, byte[] value) {
                    model.put(key, value);
                }

                @Override
                public void delete(byte[] key) {
                    model.remove(key);
                }
            });
        }
        return model;
    }

    static byte[] encode(long i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    static long decode(byte[] bytes) {
        return bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong();
    }
}
