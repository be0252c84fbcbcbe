package dev.lamina.streams;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.ResultOrder;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Interactive queries (IQv2) on a Lamina key-value store: {@link KeyQuery} and {@link RangeQuery} over raw bytes,
 * with position bounds, answered the way Kafka's built-in key-value stores answer them. Other query types get
 * {@link FailureReason#UNKNOWN_QUERY_TYPE}; a store behind the bound gets {@link FailureReason#NOT_UP_TO_BOUND}.
 * Every result carries a copy of the store's position taken while the query ran.
 */
final class LaminaQueries {
    private LaminaQueries() {
    }

    /**
     * Runs {@code query} against {@code store} holding the lock of {@code position}, which writers hold while they
     * write and advance it, so the result and its position agree.
     *
     * @param partition the partition of the store's task, or null when the store is not initialised
     */
    static <R> QueryResult<R> run(KeyValueStore<Bytes, byte[]> store, Query<R> query, PositionBound bound,
            QueryConfig config, Position position, Integer partition) {
        long start = config.isCollectExecutionInfo() ? System.nanoTime() : -1L;
        QueryResult<R> result;
        synchronized (position) {
            boolean known = query.getClass() == KeyQuery.class || query.getClass() == RangeQuery.class;
            if (!known) {
                result = QueryResult.forUnknownQueryType(query, store);
            } else if (partition == null || !isPermitted(position, bound, partition)) {
                result = QueryResult.notUpToBound(position, bound, partition);
            } else {
                result = execute(store, query);
            }
            if (config.isCollectExecutionInfo()) {
                result.addExecutionInfo("Handled in " + store.getClass() + " in " + (System.nanoTime() - start)
                        + "ns");
            }
            result.setPosition(position.copy());
        }
        return result;
    }

    /** Whether the store's position has reached the bound for the store's own partition of every bounded topic. */
    static boolean isPermitted(Position position, PositionBound bound, int partition) {
        Position required = bound.position();
        for (String topic : required.getTopics()) {
            Long needed = required.getPartitionPositions(topic).get(partition);
            if (needed == null) {
                continue;
            }
            Map<Integer, Long> seen = position.getPartitionPositions(topic);
            Long at = seen.get(partition);
            if (at == null || at < needed) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static <R> QueryResult<R> execute(KeyValueStore<Bytes, byte[]> store, Query<R> query) {
        try {
            if (query instanceof KeyQuery<?, ?> keyQuery) {
                return (QueryResult<R>) QueryResult.forResult(store.get((Bytes) keyQuery.getKey()));
            }
            RangeQuery<Bytes, byte[]> range = (RangeQuery<Bytes, byte[]>) query;
            Optional<Bytes> lower = range.getLowerBound();
            Optional<Bytes> upper = range.getUpperBound();
            boolean descending = range.resultOrder() == ResultOrder.DESCENDING;
            KeyValueIterator<Bytes, byte[]> iterator;
            if (lower.isEmpty() && upper.isEmpty()) {
                iterator = descending ? store.reverseAll() : store.all();
            } else if (descending) {
                iterator = store.reverseRange(lower.orElse(null), upper.orElse(null));
            } else {
                iterator = store.range(lower.orElse(null), upper.orElse(null));
            }
            return (QueryResult<R>) QueryResult.forResult(iterator);
        } catch (RuntimeException e) {
            return QueryResult.forFailure(FailureReason.STORE_EXCEPTION, describe(e, store, query));
        }
    }

    private static String describe(RuntimeException e, StateStore store, Query<?> query) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            out.println("Store " + store.name() + " (" + store.getClass() + ") failed to handle query " + query + ":");
            e.printStackTrace(out);
        }
        return text.toString();
    }
}
