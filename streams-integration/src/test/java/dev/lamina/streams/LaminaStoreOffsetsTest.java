package dev.lamina.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.apache.kafka.streams.state.internals.PositionSerde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Committed offsets, the position and restored data across close and reopen (in this JVM; see the crash test). */
class LaminaStoreOffsetsTest {
    private static final TopicPartition CHANGELOG = new TopicPartition("app-counts-changelog", 0);
    private static final TopicPartition OTHER = new TopicPartition("app-counts-changelog", 1);

    @TempDir
    Path dir;

    private KeyValueStore<Bytes, byte[]> store;
    private TestStoreContext context;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private KeyValueStore<Bytes, byte[]> open(KeyValueBytesStoreSupplier supplier, boolean exactlyOnce) {
        if (store != null) {
            store.close();
        }
        context = new TestStoreContext(dir.toFile());
        if (exactlyOnce) {
            context.config(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        }
        store = StoreHarness.open(supplier, context);
        return store;
    }

    private KeyValueStore<Bytes, byte[]> open() {
        return open(LaminaStores.persistentKeyValueStore("counts"), false);
    }

    private static Bytes key(int i) {
        return Bytes.wrap(("k" + i).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    @SuppressWarnings("deprecation") // managesOffsets() is deprecated only because it will always be true
    void committedOffsetsSurviveCloseAndReopen() {
        open();
        assertTrue(store.managesOffsets());
        assertNull(store.committedOffset(CHANGELOG));
        store.put(key(1), new byte[] {1});
        store.commit(Map.of(CHANGELOG, 41L, OTHER, 7L));
        assertEquals(41L, store.committedOffset(CHANGELOG));
        open();
        assertEquals(41L, store.committedOffset(CHANGELOG));
        assertEquals(7L, store.committedOffset(OTHER));
        assertArrayEquals(new byte[] {1}, store.get(key(1)));
    }

    @Test
    void anEmptyCommitClearsEveryOffsetAndANullValueClearsOne() {
        open();
        store.commit(Map.of(CHANGELOG, 10L, OTHER, 20L));
        Map<TopicPartition, Long> clearOne = new HashMap<>();
        clearOne.put(OTHER, null);
        store.commit(clearOne);
        assertEquals(10L, store.committedOffset(CHANGELOG));
        assertNull(store.committedOffset(OTHER));
        store.commit(Map.of(OTHER, 21L));
        assertEquals(10L, store.committedOffset(CHANGELOG), "a commit of one partition keeps the others");
        open();
        assertEquals(10L, store.committedOffset(CHANGELOG));
        assertEquals(21L, store.committedOffset(OTHER));
        store.commit(Map.of());
        assertNull(store.committedOffset(CHANGELOG));
        open();
        assertNull(store.committedOffset(CHANGELOG));
        assertNull(store.committedOffset(OTHER));
    }

    @Test
    void theQueryPositionIsCommittedWithTheOffsets() {
        open();
        context.processing("input", 0, 99);
        store.put(key(1), new byte[] {1});
        context.processing("input", 2, 5);
        store.putAll(List.of(KeyValue.pair(key(2), new byte[] {2})));
        store.commit(Map.of(CHANGELOG, 1L));
        Position expected = Position.emptyPosition().withComponent("input", 0, 99).withComponent("input", 2, 5);
        assertEquals(expected, store.getPosition());
        open();
        assertEquals(expected, store.getPosition());
    }

    @Test
    void restoredRecordsCarryTheQueryPositionWhenConsistencyVectorsAreOn() {
        context = new TestStoreContext(dir.toFile())
                .config(StreamsConfig.InternalConfig.IQ_CONSISTENCY_OFFSET_VECTOR_ENABLED, true);
        store = StoreHarness.open(LaminaStores.persistentKeyValueStore("counts"), context);
        Position upstream = Position.emptyPosition().withComponent("input", 3, 77);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(CHANGELOG.topic(), 0, 0, key(1).get(),
                new byte[] {1});
        record.headers().add("v", new byte[] {0});
        record.headers().add("c", PositionSerde.serialize(upstream).array());
        StoreHarness.restore(context, List.of(record));
        assertEquals(upstream, store.getPosition());
        store.commit(Map.of(CHANGELOG, 0L));
        open();
        assertEquals(upstream, store.getPosition());
    }

    @Test
    void restoredRecordsApplyTheirDeletesAndBecomeDurableWithTheNextCommit() {
        open();
        store.put(key(0), new byte[] {9});
        StoreHarness.restore(context, StoreHarness.changelog(CHANGELOG.topic(), 0, List.of(
                KeyValue.pair(key(1).get(), new byte[] {1}), KeyValue.pair(key(2).get(), new byte[] {2}),
                KeyValue.pair(key(0).get(), null), KeyValue.pair(key(1).get(), new byte[] {11}))));
        assertNull(store.get(key(0)), "a null value in a restore batch deletes");
        assertArrayEquals(new byte[] {11}, store.get(key(1)));
        store.commit(Map.of(CHANGELOG, 3L));
        assertTrue(((LaminaKeyValueStore) store).statistics().flushes() >= 1,
                "the commit wrote the restored records to a table first");
        open();
        assertEquals(3L, store.committedOffset(CHANGELOG));
        assertArrayEquals(new byte[] {11}, store.get(key(1)));
        assertArrayEquals(new byte[] {2}, store.get(key(2)));
        assertNull(store.get(key(0)));
    }

    @Test
    void restoredRecordsWithoutACommitNeverLeaveTheOffsetAheadOfTheData() {
        open();
        store.commit(Map.of(CHANGELOG, 0L));
        StoreHarness.restore(context, StoreHarness.changelog(CHANGELOG.topic(), 1, List.of(
                KeyValue.pair(key(1).get(), new byte[] {1}))));
        open(); // closed without a commit
        assertEquals(0L, store.committedOffset(CHANGELOG), "the offset is never ahead of the data");
        // A clean close keeps the restored record (a crash would have lost it); Kafka Streams restores from offset
        // 0 again, which rewrites the same record.
        assertArrayEquals(new byte[] {1}, store.get(key(1)));
    }

    @Test
    void underExactlyOnceWritesAfterTheLastCommitMakeTheTaskCorrupted() {
        open(LaminaStores.persistentKeyValueStore("counts"), true);
        store.put(key(1), new byte[] {1});
        store.commit(Map.of(CHANGELOG, 1L));
        store.put(key(2), new byte[] {2}); // uncommitted: might belong to an aborted transaction
        store.close();
        store = null;
        TaskCorruptedException e = assertThrows(TaskCorruptedException.class,
                () -> open(LaminaStores.persistentKeyValueStore("counts"), true));
        assertTrue(e.getCause().getMessage().contains("counts"), e.getCause().getMessage());
        store = null;
        // At least once, the same store opens and Kafka Streams replays from the offset.
        open();
        assertEquals(1L, store.committedOffset(CHANGELOG));
    }

    @Test
    void underExactlyOnceAStoreClosedRightAfterACommitOrDuringARestoreIsKept() {
        open(LaminaStores.persistentKeyValueStore("counts"), true);
        store.put(key(1), new byte[] {1});
        store.commit(Map.of(CHANGELOG, 1L));
        open(LaminaStores.persistentKeyValueStore("counts"), true);
        assertEquals(1L, store.committedOffset(CHANGELOG));
        StoreHarness.restore(context, StoreHarness.changelog(CHANGELOG.topic(), 2, List.of(
                KeyValue.pair(key(2).get(), new byte[] {2}))));
        store.commit(Map.of(CHANGELOG, 2L));
        StoreHarness.restore(context, StoreHarness.changelog(CHANGELOG.topic(), 3, List.of(
                KeyValue.pair(key(3).get(), new byte[] {3}))));
        ((LaminaKeyValueStore) store).flushForTest(); // the uncommitted restore reached a table
        open(LaminaStores.persistentKeyValueStore("counts"), true);
        assertEquals(2L, store.committedOffset(CHANGELOG));
        assertArrayEquals(new byte[] {2}, store.get(key(2)));
    }

    @Test
    void aTimestampedStoreIsNotOpenedAsAPlainOne() {
        open(LaminaStores.persistentTimestampedKeyValueStore("counts"), false);
        assertTrue(store instanceof TimestampedBytesStore);
        store.put(key(1), TimestampedBytesStore.convertToTimestampedFormat(new byte[] {1}));
        store.commit(Map.of(CHANGELOG, 1L));
        store.close();
        store = null;
        ProcessorStateException e = assertThrows(ProcessorStateException.class, this::open);
        assertTrue(e.getMessage().contains("Store counts is a timestamped key-value store"), e.getMessage());
        store = null;
    }

    @Test
    void aPlainStoreOpenedAsTimestampedIsConvertedOnce() {
        open();
        store.put(key(1), new byte[] {1, 2});
        store.put(key(2), new byte[] {});
        store.commit(Map.of(CHANGELOG, 5L));
        open(LaminaStores.persistentTimestampedKeyValueStore("counts"), false);
        assertArrayEquals(TimestampedBytesStore.convertToTimestampedFormat(new byte[] {1, 2}), store.get(key(1)));
        assertArrayEquals(TimestampedBytesStore.convertToTimestampedFormat(new byte[] {}), store.get(key(2)));
        assertEquals(5L, store.committedOffset(CHANGELOG));
        open(LaminaStores.persistentTimestampedKeyValueStore("counts"), false);
        assertArrayEquals(TimestampedBytesStore.convertToTimestampedFormat(new byte[] {1, 2}), store.get(key(1)),
                "converted once, not again");
    }
}
