package dev.lamina.streams;

import java.util.Collection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;

/**
 * Restores a store from its changelog, a batch at a time. It is a {@code BatchingStateRestoreCallback}; Kafka
 * Streams hands it whole {@link ConsumerRecord}s (through its internal record-batching variant, as it does for its
 * own stores) so the store can also take the query position from the records' headers.
 */
final class LaminaRestoreCallback implements RecordBatchingStateRestoreCallback {
    /** What the store does with a batch. */
    interface Target {
        void restoreRecords(Collection<ConsumerRecord<byte[], byte[]>> records);

        void restoreKeyValues(Collection<KeyValue<byte[], byte[]>> records);
    }

    private final Target target;

    LaminaRestoreCallback(Target target) {
        this.target = target;
    }

    @Override
    public void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records) {
        target.restoreRecords(records);
    }

    @Override
    public void restoreAll(Collection<KeyValue<byte[], byte[]>> records) {
        target.restoreKeyValues(records);
    }
}
