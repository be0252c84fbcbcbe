package dev.lamina.streams;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaIterator;
import dev.lamina.store.WriteBatch;
import dev.lamina.streams.CommitMetadata.StoreFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed state of one open store: its changelog offsets, kept in the engine's commit metadata together
 * with the query position, so that an offset is durable exactly when the engine's {@code commit} returns and is
 * read back from the engine after any restart.
 *
 * <p>Under exactly-once, data written after the last commit may belong to an aborted transaction. The metadata
 * records the engine sequence of each commit and whether only changelog restores could follow it; a store that
 * reopens with processing writes after its last commit reports {@link TaskCorruptedException}, as Kafka's RocksDB
 * store does after an unclean shutdown, and Kafka Streams rebuilds it. A crash right after a commit, or during a
 * restore, keeps the store.
 */
final class StoreCommits {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCommits.class);
    private static final int MIGRATION_BATCH = 1000;

    private final String storeName;
    private final Lamina db;
    private final StoreFormat format;
    private final Position position;
    private final boolean exactlyOnce;
    private volatile Map<TopicPartition, Long> offsets = Map.of();
    /** True until the first write that is not a restore since the store opened. */
    private volatile boolean restoreOnly = true;

    private StoreCommits(String storeName, Lamina db, StoreFormat format, Position position, boolean exactlyOnce) {
        this.storeName = storeName;
        this.db = db;
        this.format = format;
        this.position = position;
        this.exactlyOnce = exactlyOnce;
    }

    /**
     * Reads the last commit of a just-opened engine: offsets into memory, the position into {@code position}.
     * Converts a plain store opened as timestamped; refuses the other way round.
     *
     * @throws TaskCorruptedException under exactly-once when the store holds writes made after its last commit
     * @throws ProcessorStateException when the metadata is unreadable or the formats cannot be reconciled
     */
    static StoreCommits load(String storeName, Lamina db, StoreFormat format, Position position, boolean exactlyOnce,
            TaskId taskId) {
        StoreCommits commits = new StoreCommits(storeName, db, format, position, exactlyOnce);
        byte[] raw = db.committedMetadata();
        if (raw == null) {
            return commits;
        }
        CommitMetadata last;
        try {
            last = CommitMetadata.decode(raw);
        } catch (IllegalArgumentException e) {
            throw new ProcessorStateException("Store " + storeName + " has unreadable commit metadata in "
                    + db.directory() + ": " + e.getMessage(), e);
        }
        commits.offsets = last.offsets();
        synchronized (position) {
            position.merge(last.position());
        }
        if (exactlyOnce && !last.restoreOnlyTail() && db.statistics().lastSequence() > last.sequence()) {
            String message = "State store " + storeName + " holds writes made after its last commit (sequence "
                    + db.statistics().lastSequence() + " > " + last.sequence() + "); under exactly-once they may be"
                    + " uncommitted, so the store must be rebuilt from its changelog";
            LOG.warn(message);
            throw new TaskCorruptedException(Set.of(taskId), new ProcessorStateException(message));
        }
        if (last.format() != format) {
            if (last.format() == StoreFormat.PLAIN && format == StoreFormat.TIMESTAMPED) {
                commits.migrateToTimestamped();
            } else {
                throw new ProcessorStateException("Store " + storeName + " is a timestamped key-value store and"
                        + " cannot be opened as a plain key-value store. To downgrade, delete its local state ("
                        + db.directory() + ") and let Kafka Streams rebuild it from the changelog.");
            }
        }
        return commits;
    }

    /** Rewrites every value with the unknown timestamp (-1) in front, then commits the new format. */
    private void migrateToTimestamped() {
        LOG.info("Converting store {} from plain to timestamped values", storeName);
        long converted = 0;
        try (LaminaIterator it = db.newIterator()) {
            WriteBatch batch = new WriteBatch();
            for (it.seekToFirst(); it.isValid(); it.next()) {
                batch.put(it.key(), TimestampedBytesStore.convertToTimestampedFormat(it.value()));
                if (batch.count() == MIGRATION_BATCH) {
                    db.write(batch);
                    converted += batch.count();
                    batch = new WriteBatch();
                }
            }
            db.write(batch);
            converted += batch.count();
        }
        commit(offsets);
        LOG.info("Converted {} values of store {} to the timestamped format", converted, storeName);
    }

    /** The offset of the last commit for {@code partition}, or null. */
    Long committedOffset(TopicPartition partition) {
        return offsets.get(partition);
    }

    /**
     * Applies {@code changelogOffsets} to the committed offsets (an empty map clears them all, a null value clears
     * one) and commits them with the current position. Durable when it returns.
     */
    void commitChanges(Map<TopicPartition, Long> changelogOffsets) {
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        if (!changelogOffsets.isEmpty()) {
            next.putAll(offsets);
            for (Map.Entry<TopicPartition, Long> e : changelogOffsets.entrySet()) {
                if (e.getValue() == null) {
                    next.remove(e.getKey());
                } else {
                    next.put(e.getKey(), e.getValue());
                }
            }
        }
        commit(next);
    }

    private void commit(Map<TopicPartition, Long> next) {
        commit(next, restoreOnly);
    }

    private void commit(Map<TopicPartition, Long> next, boolean restoreOnlyTail) {
        CommitMetadata metadata;
        synchronized (position) {
            metadata = new CommitMetadata(format, db.statistics().lastSequence(), restoreOnlyTail, next,
                    position.copy());
        }
        db.commit(metadata.encode());
        offsets = metadata.offsets();
    }

    /**
     * Called before every write that is not a restore. The first one after opening ends the restore-only phase;
     * under exactly-once it first commits that fact, so a later crash is recognised as unclean.
     */
    void beforeWrite() {
        if (restoreOnly) {
            if (exactlyOnce) {
                commit(offsets, false);
            }
            restoreOnly = false;
        }
    }
}
