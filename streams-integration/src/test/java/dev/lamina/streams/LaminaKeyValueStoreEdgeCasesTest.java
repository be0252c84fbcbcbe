package dev.lamina.streams;

import static dev.lamina.streams.StoreHarness.drain;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edges of the {@code KeyValueStore} contract, checked against Kafka's built-in stores where they agree. */
class LaminaKeyValueStoreEdgeCasesTest {
    @TempDir
    Path dir;

    private final List<KeyValueStore<Bytes, byte[]>> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(KeyValueStore::close);
    }

    private KeyValueStore<Bytes, byte[]> lamina(String name) {
        return track(StoreHarness.open(LaminaStores.persistentKeyValueStore(name),
                new TestStoreContext(dir.resolve("lamina").toFile())));
    }

    private List<KeyValueStore<Bytes, byte[]>> builtIns() {
        return List.of(
                track(StoreHarness.open(Stores.inMemoryKeyValueStore("s"), new TestStoreContext(
                        dir.resolve("memory").toFile()))),
                track(StoreHarness.open(Stores.persistentKeyValueStore("s"), new TestStoreContext(
                        dir.resolve("rocks").toFile()))));
    }

    private KeyValueStore<Bytes, byte[]> track(KeyValueStore<Bytes, byte[]> store) {
        opened.add(store);
        return store;
    }

    private static Bytes key(String s) {
        return Bytes.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nullKeysThrowNullPointerExceptionLikeTheBuiltInStores() {
        List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>(builtIns());
        stores.add(lamina("s"));
        List<Consumer<KeyValueStore<Bytes, byte[]>>> calls = List.of(
                s -> s.put(null, value("v")),
                s -> s.putIfAbsent(null, value("v")),
                s -> s.putAll(List.of(KeyValue.pair(key("a"), value("v")), KeyValue.pair(null, value("v")))),
                s -> s.delete(null),
                s -> s.get(null));
        for (KeyValueStore<Bytes, byte[]> store : stores) {
            for (Consumer<KeyValueStore<Bytes, byte[]>> call : calls) {
                assertThrows(NullPointerException.class, () -> call.accept(store), store.getClass().getName());
            }
        }
        assertNull(stores.get(2).get(key("a")), "a putAll with a null key writes nothing");
    }

    @Test
    void rangeWithFromAfterToIsEmptyAndNullBoundsAreUnbounded() {
        KeyValueStore<Bytes, byte[]> store = lamina("s");
        for (String k : List.of("a", "b", "c")) {
            store.put(key(k), value(k));
        }
        assertEquals(List.of(), drain(store.range(key("c"), key("a"))));
        assertEquals(List.of(), drain(store.reverseRange(key("c"), key("a"))));
        assertEquals(3, drain(store.range(null, null)).size());
        assertEquals(2, drain(store.range(null, key("b"))).size());
        assertEquals(2, drain(store.reverseRange(key("b"), null)).size());
        assertEquals(drain(store.all()), drain(store.range(null, null)));
    }

    @Test
    void aClosedStoreThrowsInvalidStateStoreException() {
        KeyValueStore<Bytes, byte[]> store = lamina("s");
        store.put(key("a"), value("1"));
        store.close();
        store.close(); // idempotent
        assertFalse(store.isOpen());
        List<Consumer<KeyValueStore<Bytes, byte[]>>> calls = List.of(
                s -> s.put(key("a"), value("v")), s -> s.putIfAbsent(key("a"), value("v")),
                s -> s.putAll(List.of(KeyValue.pair(key("a"), value("v")))), s -> s.delete(key("a")),
                s -> s.get(key("a")), s -> s.range(key("a"), key("b")), s -> s.reverseRange(null, null),
                KeyValueStore::all, KeyValueStore::reverseAll, KeyValueStore::approximateNumEntries,
                s -> s.prefixScan("a", Serdes.String().serializer()),
                s -> s.committedOffset(new TopicPartition("t", 0)));
        for (Consumer<KeyValueStore<Bytes, byte[]>> call : calls) {
            InvalidStateStoreException e = assertThrows(InvalidStateStoreException.class, () -> call.accept(store));
            assertTrue(e.getMessage().contains("Store s "), e.getMessage());
        }
        store.commit(Map.of(new TopicPartition("t", 0), 5L)); // ignored, as Kafka's RocksDB store does
    }

    @Test
    void openIteratorsAreClosedWithTheStore() {
        KeyValueStore<Bytes, byte[]> store = lamina("s");
        store.put(key("a"), value("1"));
        store.put(key("b"), value("2"));
        KeyValueIterator<Bytes, byte[]> all = store.all();
        KeyValueIterator<Bytes, byte[]> range = store.range(key("a"), key("b"));
        assertTrue(all.hasNext());
        store.close();
        assertThrows(InvalidStateStoreException.class, all::hasNext);
        assertThrows(InvalidStateStoreException.class, range::next);
        all.close(); // closing again is harmless
    }

    @Test
    void iteratorsSeeTheStoreAsItWasWhenTheyOpened() {
        KeyValueStore<Bytes, byte[]> store = lamina("s");
        store.put(key("a"), value("1"));
        store.put(key("c"), value("3"));
        try (KeyValueIterator<Bytes, byte[]> it = store.all();
                KeyValueIterator<Bytes, byte[]> back = store.reverseAll()) {
            store.put(key("b"), value("2"));
            store.delete(key("c"));
            store.put(key("a"), value("changed"));
            assertEquals(List.of("a=1", "c=3"), strings(it));
            assertEquals(List.of("c=3", "a=1"), strings(back));
        }
        assertEquals(List.of("a=changed", "b=2"), strings(store.all()));
    }

    private static List<String> strings(KeyValueIterator<Bytes, byte[]> it) {
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
            KeyValue<Bytes, byte[]> kv = it.next();
            out.add(new String(kv.key.get(), StandardCharsets.UTF_8) + "=" + new String(kv.value,
                    StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void prefixScanOfAllOnesAndOfNothingIsUnboundedAsInKafkasRocksDbStore() {
        KeyValueStore<Bytes, byte[]> rocks = builtIns().get(1);
        KeyValueStore<Bytes, byte[]> store = lamina("s");
        byte[][] keys = {{0x01}, {(byte) 0xFF}, {(byte) 0xFF, 0x00}, {(byte) 0xFF, (byte) 0xFF, 0x01}};
        for (byte[] k : keys) {
            rocks.put(Bytes.wrap(k), k);
            store.put(Bytes.wrap(k), k);
        }
        for (byte[] prefix : new byte[][] {{}, {(byte) 0xFF}, {(byte) 0xFF, (byte) 0xFF}, {0x01}}) {
            assertEquals(drain(rocks.prefixScan(prefix, Serdes.ByteArray().serializer())),
                    drain(store.prefixScan(prefix, Serdes.ByteArray().serializer())));
        }
    }

    @Test
    void putIfAbsentAndDeleteReturnTheOldValue() {
        KeyValueStore<Bytes, byte[]> store = lamina("s");
        assertNull(store.putIfAbsent(key("a"), value("1")));
        assertArrayEquals(value("1"), store.putIfAbsent(key("a"), value("2")));
        assertArrayEquals(value("1"), store.delete(key("a")));
        assertNull(store.delete(key("a")));
        assertNull(store.putIfAbsent(key("b"), null));
        assertNull(store.get(key("b")));
        store.put(key("c"), new byte[0]);
        assertArrayEquals(new byte[0], store.get(key("c")), "an empty value is a value");
        assertTrue(store.approximateNumEntries() >= 1);
    }

    @Test
    void errorsNameTheStore() throws Exception {
        KeyValueStore<Bytes, byte[]> store = lamina("counts");
        ProcessorStateException tooLong = assertThrows(ProcessorStateException.class,
                () -> store.put(Bytes.wrap(new byte[70_000]), value("v")));
        assertTrue(tooLong.getMessage().contains("store counts"), tooLong.getMessage());
        assertNull(store.get(Bytes.wrap(new byte[70_000])), "no key that long can be present");

        // A second instance on the same directory cannot open while the first holds it.
        KeyValueStore<Bytes, byte[]> second = LaminaStores.persistentKeyValueStore("counts").get();
        ProcessorStateException locked = assertThrows(ProcessorStateException.class,
                () -> second.init(new TestStoreContext(dir.resolve("lamina").toFile()), second));
        assertTrue(locked.getMessage().contains("store counts"), locked.getMessage());
        assertFalse(second.isOpen());

        // A state directory that cannot hold the store.
        Path file = Files.createFile(dir.resolve("not-a-dir"));
        KeyValueStore<Bytes, byte[]> third = LaminaStores.persistentKeyValueStore("counts").get();
        ProcessorStateException notDir = assertThrows(ProcessorStateException.class,
                () -> third.init(new TestStoreContext(file.toFile()), third));
        assertTrue(notDir.getMessage().contains("store counts"), notDir.getMessage());
    }

    @Test
    void aClosedInstanceCanBeInitialisedAgainAsKafkaStreamsDoesWhenItRevivesATask() {
        TestStoreContext context = new TestStoreContext(dir.resolve("lamina").toFile());
        KeyValueStore<Bytes, byte[]> store = track(StoreHarness.open(LaminaStores.persistentKeyValueStore("s"),
                context));
        context.processing("input", 0, 5);
        store.put(key("a"), value("1"));
        store.commit(Map.of(new TopicPartition("t", 0), 1L));
        store.close();
        store.init(context, store);
        assertTrue(store.isOpen());
        assertArrayEquals(value("1"), store.get(key("a")));
        assertEquals(1L, store.committedOffset(new TopicPartition("t", 0)));
        assertEquals(org.apache.kafka.streams.query.Position.emptyPosition().withComponent("input", 0, 5L),
                store.getPosition());
    }

    @Test
    void theStoreLivesInLaminaSlashNameUnderTheStateDirectory() {
        KeyValueStore<Bytes, byte[]> store = lamina("counts");
        assertTrue(store.persistent());
        assertTrue(Files.isDirectory(dir.resolve("lamina").resolve("lamina").resolve("counts")));
        assertEquals("counts", store.name());
    }
}
