package dev.lamina.streams;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.LaminaStatistics;
import dev.lamina.store.StoreClosedException;
import dev.lamina.store.WriteBatch;
import dev.lamina.streams.CommitMetadata.StoreFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Streams key-value store of bytes on one Lamina engine, opened in {@code <state dir>/lamina/<name>}.
 * It behaves as Kafka's built-in persistent store does, manages its own changelog offsets (durable on every
 * {@link #commit}), restores through the engine's unlogged path, and answers IQv2 key and range queries.
 *
 * <p>Writes come from one stream thread; reads (interactive queries) may come from any thread.
 */
class LaminaKeyValueStore implements KeyValueStore<Bytes, byte[]>, LaminaRestoreCallback.Target {
    private static final Logger LOG = LoggerFactory.getLogger(LaminaKeyValueStore.class);
    /** Folder under the task's state directory that holds the Lamina stores. */
    static final String DIR_NAME = "lamina";

    private final String name;
    private final String metricsScope;
    private final StoreFormat format;
    private final Set<LaminaKeyValueIterator> openIterators = ConcurrentHashMap.newKeySet();
    /** The query position, new at each {@link #init}; its monitor also orders writes against queries. */
    private volatile Position position = Position.emptyPosition();
    private volatile boolean open;
    private StateStoreContext context;
    private Lamina db;
    private LaminaOptions options;
    private LaminaConfigSetter configSetter;
    private LaminaStoreMetrics metrics;
    private StoreCommits commits;
    private boolean consistencyEnabled;

    LaminaKeyValueStore(String name, String metricsScope) {
        this(name, metricsScope, StoreFormat.PLAIN);
    }

    LaminaKeyValueStore(String name, String metricsScope, StoreFormat format) {
        this.name = Objects.requireNonNull(name, "name cannot be null");
        this.metricsScope = Objects.requireNonNull(metricsScope, "metricsScope cannot be null");
        this.format = format;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        if (open) {
            throw new IllegalStateException("Store " + name + " is already open");
        }
        Map<String, Object> configs = stateStoreContext.appConfigs();
        boolean exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(
                configs.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        consistencyEnabled = KafkaInternals.consistencyEnabled(configs);
        Path dir = stateStoreContext.stateDir().toPath().resolve(DIR_NAME).resolve(name);
        position = Position.emptyPosition(); // an instance can be re-initialised after close (task revival)
        openEngine(configs, dir);
        try {
            commits = StoreCommits.load(name, db, format, position, exactlyOnce, stateStoreContext.taskId());
            context = stateStoreContext;
            stateStoreContext.register(root, new LaminaRestoreCallback(this));
            metrics = LaminaStoreMetrics.register(stateStoreContext.metrics(), stateStoreContext.taskId().toString(),
                    metricsScope, name, db.statistics(), this::estimateKeys);
        } catch (RuntimeException e) {
            releaseEngine();
            throw e;
        }
        open = true;
        LOG.debug("Opened store {} in {} with {}", name, dir, options);
    }

    private void openEngine(Map<String, Object> configs, Path dir) {
        LaminaOptions.Builder builder = LaminaStoreConfig.options(name, configs);
        configSetter = LaminaStoreConfig.newConfigSetter(configs);
        try {
            if (configSetter != null) {
                configSetter.setConfig(name, builder, configs);
            }
            options = builder.build();
            Files.createDirectories(dir);
            db = Lamina.open(dir, options);
        } catch (IOException | RuntimeException e) {
            releaseEngine();
            throw new ProcessorStateException("Error opening store " + name + " at location " + dir, e);
        }
    }

    private long estimateKeys() {
        Lamina current = db;
        return current == null || current.isClosed() ? 0 : current.estimateNumKeys();
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    @Override
    public void put(Bytes key, byte[] value) {
        Objects.requireNonNull(key, "key cannot be null");
        checkOpen();
        beforeWrite();
        synchronized (position) {
            try {
                if (value == null) {
                    db.delete(key.get());
                } else {
                    db.put(key.get(), value);
                }
            } catch (RuntimeException e) {
                throw failure(value == null ? "removing key from" : "putting key/value into", e);
            }
            updatePosition();
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        Objects.requireNonNull(key, "key cannot be null");
        byte[] original = get(key);
        if (original == null && value != null) {
            put(key, value);
        }
        return original;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        WriteBatch batch = new WriteBatch();
        for (KeyValue<Bytes, byte[]> entry : entries) {
            Objects.requireNonNull(entry.key, "key cannot be null");
            try {
                if (entry.value == null) {
                    batch.delete(entry.key.get());
                } else {
                    batch.put(entry.key.get(), entry.value);
                }
            } catch (IllegalArgumentException e) {
                throw failure("batch writing to", e);
            }
        }
        checkOpen();
        beforeWrite();
        synchronized (position) {
            try {
                db.write(batch);
            } catch (RuntimeException e) {
                throw failure("batch writing to", e);
            }
            updatePosition();
        }
    }

    @Override
    public byte[] delete(Bytes key) {
        Objects.requireNonNull(key, "key cannot be null");
        byte[] old = get(key);
        put(key, null);
        return old;
    }

    private void beforeWrite() {
        try {
            commits.beforeWrite();
        } catch (RuntimeException e) {
            throw failure("committing before the first write to", e);
        }
    }

    private void updatePosition() {
        if (context != null) {
            context.recordMetadata().ifPresent(meta -> {
                if (meta.topic() != null) {
                    position.withComponent(meta.topic(), meta.partition(), meta.offset());
                }
            });
        }
    }

    // ---- restore -----------------------------------------------------------------------------------------------

    @Override
    public void restoreRecords(Collection<ConsumerRecord<byte[], byte[]>> records) {
        checkOpen();
        synchronized (position) {
            WriteBatch batch = new WriteBatch();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                KafkaInternals.updatePositionFromChangelog(record, consistencyEnabled, position);
                add(batch, record.key(), record.value());
            }
            restore(batch);
        }
    }

    @Override
    public void restoreKeyValues(Collection<KeyValue<byte[], byte[]>> records) {
        checkOpen();
        WriteBatch batch = new WriteBatch();
        for (KeyValue<byte[], byte[]> record : records) {
            add(batch, record.key, record.value);
        }
        restore(batch);
    }

    private void add(WriteBatch batch, byte[] key, byte[] value) {
        try {
            if (value == null) {
                batch.delete(key);
            } else {
                batch.put(key, value);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw failure("restoring a batch to", e);
        }
    }

    /** Applies a restore batch the way the engine replays its own log: into the memtable, no log, no fsync. */
    private void restore(WriteBatch batch) {
        try {
            db.writeWithoutLog(batch);
        } catch (RuntimeException e) {
            throw failure("restoring a batch to", e);
        }
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    @Override
    public byte[] get(Bytes key) {
        Objects.requireNonNull(key, "key cannot be null");
        checkOpen();
        byte[] k = key.get();
        if (k.length > WriteBatch.MAX_KEY_SIZE) {
            return null; // longer than any key the store can hold
        }
        try {
            return db.get(k);
        } catch (RuntimeException e) {
            throw failure("getting value for key from", e);
        }
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return range(from, to, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return range(from, to, false);
    }

    private KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to, boolean forward) {
        if (from != null && to != null && from.compareTo(to) > 0) {
            LOG.warn("Returning empty iterator for fetch with invalid key range: from > to. "
                    + "This may be due to range arguments set in the wrong order, "
                    + "or serdes that don't preserve ordering when lexicographically comparing the serialized bytes. "
                    + "Note that the built-in numerical serdes do not follow this for negative numbers");
            return new EmptyKeyValueIterator();
        }
        return iterator(from == null ? null : from.get(), to == null ? null : to.get(), false, forward);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(null, null, false, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(null, null, false, false);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix,
            PS prefixKeySerializer) {
        checkOpen();
        Objects.requireNonNull(prefix, "prefix cannot be null");
        Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
        byte[] from = prefixKeySerializer.serialize(null, prefix);
        return iterator(from, incrementOrNull(from), true, true);
    }

    /**
     * The exclusive upper bound of a prefix scan as Kafka's built-in stores compute it: the prefix plus one, carried
     * within the same length ({@code 01 ff} becomes {@code 02 00}), or null (unbounded) when every byte is
     * {@code 0xff}. Kafka's stores therefore also return keys such as {@code 02} for the prefix {@code 01 ff};
     * Lamina answers the same so a topology gives the same results on either.
     */
    static byte[] incrementOrNull(byte[] prefix) {
        byte[] next = prefix.clone();
        for (int i = next.length - 1; i >= 0; i--) {
            if (next[i] != (byte) 0xFF) {
                next[i]++;
                return next;
            }
            next[i] = 0;
        }
        return null;
    }

    private KeyValueIterator<Bytes, byte[]> iterator(byte[] from, byte[] to, boolean toExclusive, boolean forward) {
        checkOpen();
        LaminaKeyValueIterator it;
        try {
            it = new LaminaKeyValueIterator(name, db.newIterator(), from, to, toExclusive, forward,
                    openIterators::remove);
        } catch (RuntimeException e) {
            throw e instanceof InvalidStateStoreException || e instanceof ProcessorStateException ? e
                    : failure("opening an iterator over", e);
        }
        openIterators.add(it);
        if (!open) {
            it.close();
            throw closedError();
        }
        return it;
    }

    @Override
    public long approximateNumEntries() {
        checkOpen();
        try {
            return db.estimateNumKeys();
        } catch (RuntimeException e) {
            throw failure("estimating the entries of", e);
        }
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        StateStoreContext ctx = context;
        return LaminaQueries.run(this, query, positionBound, config, position,
                ctx == null ? null : ctx.taskId().partition());
    }

    @Override
    public Position getPosition() {
        return position;
    }

    // ---- offsets and lifecycle ---------------------------------------------------------------------------------

    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return true;
    }

    /**
     * Commits the changelog offsets (and the query position) with everything written so far; durable when this
     * returns. An empty map clears every offset; a null value clears one. Does nothing on a closed store.
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        Objects.requireNonNull(changelogOffsets, "changelogOffsets cannot be null");
        if (!open) {
            return;
        }
        try {
            commits.commitChanges(changelogOffsets);
        } catch (RuntimeException e) {
            throw failure("executing commit from", e);
        }
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        checkOpen();
        return commits.committedOffset(partition);
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** The engine's statistics, for tests and tools; null before {@link #init}. */
    LaminaStatistics statistics() {
        Lamina current = db;
        return current == null ? null : current.statistics();
    }

    /** Writes the memtable to a table without committing, as a full memtable would; for tests. */
    void flushForTest() {
        db.flush();
    }

    /** The engine directory of this store; null before {@link #init}. */
    Path directory() {
        Lamina current = db;
        return current == null ? null : current.directory();
    }

    @Override
    public synchronized void close() {
        if (!open) {
            return;
        }
        open = false;
        List<LaminaKeyValueIterator> iterators = List.copyOf(openIterators);
        if (!iterators.isEmpty()) {
            LOG.warn("Closing {} open iterators for store {}", iterators.size(), name);
            iterators.forEach(LaminaKeyValueIterator::closeForStore);
        }
        RuntimeException failure = null;
        try {
            db.close();
        } catch (RuntimeException e) {
            failure = failure("closing", e);
        } finally {
            releaseEngine();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Releases whatever {@link #init} acquired; safe on a half-opened store. */
    private void releaseEngine() {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        if (db != null && !db.isClosed()) {
            try {
                db.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing the engine of store {} failed", name, e);
            }
        }
        if (configSetter != null) {
            try {
                configSetter.close(name, options);
            } catch (RuntimeException e) {
                LOG.warn("The config setter of store {} failed to close", name, e);
            }
            configSetter = null;
        }
    }

    private void checkOpen() {
        if (!open) {
            throw closedError();
        }
    }

    private InvalidStateStoreException closedError() {
        return new InvalidStateStoreException("Store " + name + " is currently closed");
    }

    /** Translates an engine failure: a closed engine means a closed store; anything else names the store. */
    private RuntimeException failure(String action, RuntimeException e) {
        if (e instanceof StoreClosedException || !open && !(e instanceof IllegalArgumentException)) {
            return new InvalidStateStoreException("Store " + name + " is currently closed", e);
        }
        return new ProcessorStateException("Error while " + action + " store " + name + ": " + e.getMessage(), e);
    }
}
