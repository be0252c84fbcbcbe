package dev.lamina.streams;

import static dev.lamina.streams.StoreHarness.digest;
import static dev.lamina.streams.StoreHarness.drain;
import static dev.lamina.streams.StoreHarness.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the same random operations on a Lamina store, Kafka's in-memory store and Kafka's RocksDB store, and
 * compares every answer, for the plain and the timestamped store. The Lamina store runs with a small write
 * buffer, so reads cross memtables and tables, is closed and reopened along the way, and takes restore batches.
 */
class LaminaKeyValueStoreComparisonTest {
    private static final byte[] ALPHABET = {0x00, 0x01, 'a', 'b', 0x7F, (byte) 0x80, (byte) 0xFE, (byte) 0xFF};
    private static final int OPERATIONS = 10_000;

    @TempDir
    Path dir;

    private KeyValueBytesStoreSupplier laminaSupplier;
    private KeyValueStore<Bytes, byte[]> lamina;
    private KeyValueStore<Bytes, byte[]> memory;
    private KeyValueStore<Bytes, byte[]> rocks;
    private TestStoreContext laminaContext;
    private TestStoreContext memoryContext;
    private TestStoreContext rocksContext;
    private Random random;
    private long changelogOffset;

    @AfterEach
    void close() {
        for (KeyValueStore<Bytes, byte[]> s : new ArrayList<>(java.util.Arrays.asList(lamina, memory, rocks))) {
            if (s != null) {
                s.close();
            }
        }
    }

    @ParameterizedTest(name = "timestamped={0}")
    @ValueSource(booleans = {false, true})
    void everyAnswerMatchesKafkasBuiltInStores(boolean timestamped) {
        long seed = Long.getLong("lamina.test.seed", System.nanoTime());
        random = new Random(seed);
        laminaSupplier = timestamped ? LaminaStores.persistentTimestampedKeyValueStore("cmp")
                : LaminaStores.persistentKeyValueStore("cmp");
        laminaContext = new TestStoreContext(dir.resolve("lamina").toFile())
                .config(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG, "256KiB");
        lamina = StoreHarness.open(laminaSupplier, laminaContext);
        memoryContext = new TestStoreContext(dir.resolve("memory").toFile());
        memory = StoreHarness.open(Stores.inMemoryKeyValueStore("cmp"), memoryContext);
        rocksContext = new TestStoreContext(dir.resolve("rocks").toFile());
        rocks = StoreHarness.open(timestamped ? Stores.persistentTimestampedKeyValueStore("cmp")
                : Stores.persistentKeyValueStore("cmp"), rocksContext);

        for (int i = 0; i < OPERATIONS; i++) {
            String context = "seed " + seed + ", operation " + i + ": ";
            step(context);
            if (i % 2000 == 1999) {
                reopenLamina();
            }
        }
        compare("seed " + seed + ", final all()", s -> drain(s.all()));
        compare("seed " + seed + ", final reverseAll()", s -> drain(s.reverseAll()));
    }

    private void step(String context) {
        int dice = random.nextInt(100);
        Bytes key = randomKey();
        if (dice < 30) {
            byte[] value = randomValue();
            compare(context + "put " + key, s -> {
                s.put(key, value);
                return "ok";
            });
        } else if (dice < 34) {
            compare(context + "put null " + key, s -> {
                s.put(key, null);
                return "ok";
            });
        } else if (dice < 42) {
            byte[] value = random.nextInt(10) == 0 ? null : randomValue();
            compare(context + "putIfAbsent " + key, s -> digest(s.putIfAbsent(key, value)));
        } else if (dice < 46) {
            List<KeyValue<Bytes, byte[]>> entries = new ArrayList<>();
            for (int n = random.nextInt(6); n >= 0; n--) {
                entries.add(KeyValue.pair(randomKey(), random.nextInt(5) == 0 ? null : randomValue()));
            }
            compare(context + "putAll " + entries.size(), s -> {
                s.putAll(entries);
                return "ok";
            });
        } else if (dice < 54) {
            compare(context + "delete " + key, s -> digest(s.delete(key)));
        } else if (dice < 70) {
            compare(context + "get " + key, s -> digest(s.get(key)));
        } else if (dice < 80) {
            Bytes from = random.nextInt(8) == 0 ? null : randomKey();
            Bytes to = random.nextInt(8) == 0 ? null : randomKey();
            boolean reverse = random.nextBoolean();
            compare(context + (reverse ? "reverseRange " : "range ") + from + ".." + to,
                    s -> drain(reverse ? s.reverseRange(from, to) : s.range(from, to)));
        } else if (dice < 81) {
            boolean reverse = random.nextBoolean();
            compare(context + (reverse ? "reverseAll" : "all"), s -> drain(reverse ? s.reverseAll() : s.all()));
        } else if (dice < 88) {
            byte[] prefix = randomKey().get();
            if (LaminaKeyValueStore.incrementOrNull(prefix) != null) { // the built-ins disagree on all-0xFF
                compare(context + "prefixScan " + hex(prefix),
                        s -> drain(s.prefixScan(prefix, Serdes.ByteArray().serializer())));
            }
        } else if (dice < 92) {
            long live = drain(memory.all()).size();
            long estimate = lamina.approximateNumEntries();
            assertTrue(estimate >= live, context + "approximateNumEntries " + estimate + " < " + live);
        } else if (dice < 94) {
            restoreBatch(context);
        } else {
            Bytes other = randomKey();
            compare(context + "get " + other, s -> digest(s.get(other)));
        }
    }

    /** The same changelog batch, through each store's registered restore callback. */
    private void restoreBatch(String context) {
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        for (int n = random.nextInt(60); n >= 0; n--) {
            records.add(KeyValue.pair(randomKey().get(), random.nextInt(6) == 0 ? null : randomValue()));
        }
        var batch = StoreHarness.changelog("cmp-changelog", changelogOffset, records);
        changelogOffset += records.size();
        StoreHarness.restore(laminaContext, batch);
        StoreHarness.restore(memoryContext, batch);
        StoreHarness.restore(rocksContext, batch);
        if (random.nextInt(4) == 0) {
            compare(context + "after restore", s -> drain(s.all()));
        }
    }

    private void reopenLamina() {
        lamina.commit(Map.of());
        lamina.close();
        lamina = StoreHarness.open(laminaSupplier, laminaContext);
    }

    private void compare(String what, Function<KeyValueStore<Bytes, byte[]>, Object> op) {
        Object expected = outcome(memory, op);
        assertEquals(expected, outcome(rocks, op), what + " (the built-in stores disagree)");
        assertEquals(expected, outcome(lamina, op), what);
    }

    private static Object outcome(KeyValueStore<Bytes, byte[]> store, Function<KeyValueStore<Bytes, byte[]>, Object> op) {
        try {
            return op.apply(store);
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    private Bytes randomKey() {
        byte[] key = new byte[random.nextInt(5)];
        for (int i = 0; i < key.length; i++) {
            key[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return Bytes.wrap(key);
    }

    private byte[] randomValue() {
        int dice = random.nextInt(100);
        byte[] value = new byte[dice < 10 ? 0 : dice < 99 ? 1 + random.nextInt(48) : 1 + random.nextInt(8_000)];
        random.nextBytes(value);
        return value;
    }

}
