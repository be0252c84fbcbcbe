package dev.lamina.streams;

import static dev.lamina.streams.StoreHarness.drain;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IQv2 on the bytes store, answered as Kafka's in-memory store answers, position bounds included. */
class LaminaQueriesTest {
    @TempDir
    Path dir;

    private KeyValueStore<Bytes, byte[]> lamina;
    private KeyValueStore<Bytes, byte[]> memory;

    @BeforeEach
    void fill() {
        TestStoreContext laminaContext = new TestStoreContext(dir.resolve("l").toFile());
        TestStoreContext memoryContext = new TestStoreContext(dir.resolve("m").toFile());
        lamina = StoreHarness.open(LaminaStores.persistentKeyValueStore("q"), laminaContext);
        memory = StoreHarness.open(Stores.inMemoryKeyValueStore("q"), memoryContext);
        for (int i = 0; i < 10; i++) {
            laminaContext.processing("input", 0, 100 + i);
            memoryContext.processing("input", 0, 100 + i);
            lamina.put(key(i), value(i));
            memory.put(key(i), value(i));
        }
    }

    @AfterEach
    void close() {
        lamina.close();
        memory.close();
    }

    private static Bytes key(int i) {
        return Bytes.wrap(("key-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(int i) {
        return ("value-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static PositionBound at(long offset) {
        return PositionBound.at(Position.emptyPosition().withComponent("input", 0, offset));
    }

    private void compare(Query<?> query, PositionBound bound, Function<Object, Object> result) {
        QueryResult<?> expected = memory.query(query, bound, new QueryConfig(false));
        QueryResult<?> actual = lamina.query(query, bound, new QueryConfig(false));
        assertEquals(expected.isSuccess(), actual.isSuccess(), query.toString());
        assertEquals(expected.getPosition(), actual.getPosition());
        if (expected.isSuccess()) {
            assertEquals(result.apply(expected.getResult()), result.apply(actual.getResult()), query.toString());
        } else {
            assertEquals(expected.getFailureReason(), actual.getFailureReason(), query.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static Object drained(Object iterator) {
        return drain((KeyValueIterator<Bytes, byte[]>) iterator);
    }

    @Test
    void keyAndRangeQueriesAnswerLikeTheBuiltInStore() {
        PositionBound reached = at(109);
        compare(KeyQuery.<Bytes, byte[]>withKey(key(3)), reached, v -> StoreHarness.hex((byte[]) v));
        compare(KeyQuery.<Bytes, byte[]>withKey(key(42)), PositionBound.unbounded(), v -> StoreHarness.hex((byte[]) v));
        compare(RangeQuery.<Bytes, byte[]>withRange(key(2), key(5)), reached, LaminaQueriesTest::drained);
        compare(RangeQuery.<Bytes, byte[]>withRange(key(2), key(5)).withDescendingKeys(), reached,
                LaminaQueriesTest::drained);
        compare(RangeQuery.<Bytes, byte[]>withNoBounds(), reached, LaminaQueriesTest::drained);
        compare(RangeQuery.<Bytes, byte[]>withNoBounds().withDescendingKeys(), reached, LaminaQueriesTest::drained);
        compare(RangeQuery.<Bytes, byte[]>withUpperBound(key(4)), reached, LaminaQueriesTest::drained);
        compare(RangeQuery.<Bytes, byte[]>withLowerBound(key(7)).withDescendingKeys(), reached,
                LaminaQueriesTest::drained);
        QueryResult<byte[]> one = lamina.query(KeyQuery.withKey(key(3)), reached, new QueryConfig(true));
        assertArrayEquals(value(3), one.getResult());
        assertEquals(Position.emptyPosition().withComponent("input", 0, 109L), one.getPosition());
        assertTrue(one.getExecutionInfo().get(0).startsWith("Handled in "), one.getExecutionInfo().toString());
    }

    @Test
    void aBoundAheadOfTheStoreIsNotUpToBound() {
        compare(KeyQuery.<Bytes, byte[]>withKey(key(3)), at(110), v -> v);
        QueryResult<byte[]> result = lamina.query(KeyQuery.withKey(key(3)), at(110), new QueryConfig(false));
        assertFalse(result.isSuccess());
        assertEquals(FailureReason.NOT_UP_TO_BOUND, result.getFailureReason());
        PositionBound otherPartition = PositionBound.at(Position.emptyPosition().withComponent("input", 1, 5));
        assertTrue(lamina.query(KeyQuery.withKey(key(3)), otherPartition, new QueryConfig(false)).isSuccess(),
                "a bound on another partition does not apply to this store");
        PositionBound otherTopic = PositionBound.at(Position.emptyPosition().withComponent("other", 0, 1));
        compare(KeyQuery.<Bytes, byte[]>withKey(key(3)), otherTopic, v -> v);
    }

    @Test
    void otherQueryTypesAreUnknown() {
        Query<?> window = WindowKeyQuery.withKeyAndWindowStartRange(key(1), Instant.EPOCH, Instant.now());
        compare(window, PositionBound.unbounded(), v -> v);
        QueryResult<?> result = lamina.query(window, PositionBound.unbounded(), new QueryConfig(false));
        assertEquals(FailureReason.UNKNOWN_QUERY_TYPE, result.getFailureReason());
    }
}
