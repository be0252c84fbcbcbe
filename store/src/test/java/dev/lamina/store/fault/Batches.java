package dev.lamina.store.fault;

import dev.lamina.store.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * The batches of the fault tests: batch {@code i} writes and deletes a few keys chosen by a generator seeded with
 * {@code i}, and sets {@link #COUNTER} to {@code i}. A store that holds a prefix of the batches therefore says which
 * prefix, and must equal {@link #model} of it exactly. Commits carry the batch number they follow as metadata.
 */
public final class Batches {
    public static final byte[] COUNTER = "__batch".getBytes(StandardCharsets.UTF_8);
    private static final int KEYS = 400;

    private static long cachedN = 0;
    private static TreeMap<byte[], byte[]> cached = new TreeMap<>(Arrays::compareUnsigned);

    private Batches() {
    }

    public static WriteBatch batch(long i) {
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

    /** Replays batch {@code i} into {@code handler}. Values are mostly small; one in 15 is a few KiB. */
    public static void apply(long i, WriteBatch.Handler handler) {
        Random random = new Random(i * 0x9E3779B97F4A7C15L + 17);
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            byte[] key = ("key-" + random.nextInt(KEYS)).getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(5) == 0) {
                handler.delete(key);
            } else {
                byte[] value = new byte[random.nextInt(15) == 0 ? 1000 + random.nextInt(3000) : random.nextInt(200)];
                random.nextBytes(value);
                handler.put(key, value);
            }
        }
        handler.put(COUNTER, encode(i));
    }

    /** The store's contents after batches {@code 1..n}, read-only. Cached, since checks ask for rising n. */
    public static synchronized NavigableMap<byte[], byte[]> model(long n) {
        if (n < cachedN) {
            cached = new TreeMap<>(Arrays::compareUnsigned);
            cachedN = 0;
        }
        for (long i = cachedN + 1; i <= n; i++) {
            apply(i, new WriteBatch.Handler() {
                @Override
                public void put(byte[] key, byte[] value) {
                    cached.put(key, value);
                }

                @Override
                public void delete(byte[] key) {
                    cached.remove(key);
                }
            });
        }
        cachedN = n;
        return Collections.unmodifiableNavigableMap(new TreeMap<>(cached));
    }

    public static byte[] encode(long i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    /** The batch number in a counter value or commit metadata; 0 for null (nothing written or committed). */
    public static long decode(byte[] bytes) {
        return bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong();
    }
}
