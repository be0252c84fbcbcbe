package dev.lamina.streams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The child JVM of {@link StoreCrashTest}: opens a store and, until it is killed, writes records and commits their
 * offsets, printing {@code committed <offset>} after each commit returns. Record {@code i} is key {@code k<i>} with
 * a value derived from {@code i}, written either as a processed record or through the restore callback.
 *
 * <p>Arguments: state directory, {@code process} or {@code restore}, {@code lamina} or {@code rocksdb}.
 */
public final class StoreCrashChild {
    static final TopicPartition CHANGELOG = new TopicPartition("crash-store-changelog", 0);
    static final String STORE = "crash-store";

    private StoreCrashChild() {
    }

    static Bytes key(long i) {
        return Bytes.wrap(("k" + i).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] value(long i) {
        return ("value-" + i + "-" + "x".repeat((int) (i % 97))).getBytes(StandardCharsets.UTF_8);
    }

    static KeyValueBytesStoreSupplier supplier(String kind) {
        return kind.equals("rocksdb") ? Stores.persistentKeyValueStore(STORE)
                : LaminaStores.persistentKeyValueStore(STORE);
    }

    public static void main(String[] args) {
        TestStoreContext context = new TestStoreContext(Path.of(args[0]).toFile());
        boolean restore = args[1].equals("restore");
        KeyValueStore<Bytes, byte[]> store = StoreHarness.open(supplier(args[2]), context);
        Long committed = store.committedOffset(CHANGELOG);
        long next = committed == null ? 0 : committed + 1;
        while (true) {
            if (restore) {
                List<KeyValue<byte[], byte[]>> batch = new ArrayList<>();
                for (int j = 0; j < 200; j++) {
                    batch.add(KeyValue.pair(key(next + j).get(), value(next + j)));
                }
                StoreHarness.restore(context, StoreHarness.changelog(CHANGELOG.topic(), next, batch));
                next += batch.size();
            } else {
                for (int j = 0; j < 10; j++) {
                    context.processing("input", 0, next);
                    store.put(key(next), value(next));
                    next++;
                }
            }
            store.commit(Map.of(CHANGELOG, next - 1));
            System.out.println("committed " + (next - 1));
            System.out.flush();
        }
    }
}
