package dev.lamina.store.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.Lamina;
import dev.lamina.store.LaminaIterator;
import dev.lamina.store.CommitSync;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.WriteBatch;
import dev.lamina.store.io.NioFileSystem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads write and commit at once under {@link CommitSync#ALWAYS}, so commits share fsyncs (group
 * commit) while the memtable switches and flushes. A crash state is taken at every sync point; in each, every
 * thread's acknowledged commit must be there, and each thread's keys must be exactly those of a prefix of that
 * thread's batches.
 */
class ConcurrentCommitPowerLossTest {
    private static final int THREADS = 4;
    private static final int BATCHES = Dirs.stress() ? 1500 : 250;

    @TempDir
    Path tmp;

    private record Image(Path dir, long[] acked, long[] started) {
    }

    @Test
    void concurrentCommittersKeepEveryAcknowledgedCommitAtEverySyncPoint() throws Exception {
        Path store = tmp.resolve("store");
        PowerLossFileSystem fs = new PowerLossFileSystem(NioFileSystem.instance());
        AtomicLongArray started = new AtomicLongArray(THREADS);
        AtomicLongArray acked = new AtomicLongArray(THREADS);
        ConcurrentLinkedQueue<Image> images = new ConcurrentLinkedQueue<>();
        Random random = new Random(3);
        fs.onSyncPoint((index, what) -> {
            Path image = tmp.resolve("crash-" + index);
            // Acknowledgements are read before the image: one that lands meanwhile only weakens the check.
            long[] a = snapshot(acked);
            fs.writeImage(store, image, index % 2 == 0 ? CrashKind.POWER_LOSS : CrashKind.POWER_LOSS_TORN_TAIL,
                    random);
            images.add(new Image(image, a, snapshot(started)));
        });
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(64 << 10).fileSystem(fs)
                .commitSync(CommitSync.ALWAYS).build();
        try (Lamina db = Lamina.open(store, options)) {
            List<Thread> writers = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                writers.add(new Thread(() -> {
                    try {
                        for (int i = 1; i <= BATCHES; i++) {
                            started.set(thread, i);
                            db.write(batch(thread, i));
                            if (i % 3 == 0) {
                                db.commit(ByteBuffer.allocate(8).putInt(thread).putInt(i).array());
                                acked.set(thread, i);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "writer-" + t));
            }
            writers.forEach(Thread::start);
            for (Thread w : writers) {
                w.join();
            }
            assertTrue(failures.isEmpty(), "writers failed: " + failures);
        }
        int checked = 0;
        for (Image image : images) {
            verify(image);
            Dirs.deleteRecursively(image.dir());
            checked++;
        }
        System.out.printf("ConcurrentCommitPowerLossTest: %d threads, %d sync points, %d crash states checked%n",
                THREADS, fs.syncPoints(), checked);
        assertTrue(checked > 50, "too few sync points: " + checked);
    }

    private static long[] snapshot(AtomicLongArray a) {
        long[] out = new long[a.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i);
        }
        return out;
    }

    private static byte[] key(int thread, String name) {
        return ("t" + thread + "-" + name).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int thread, int i) {
        byte[] v = new byte[8 + new Random(thread * 1_000_003L + i).nextInt(300)];
        ByteBuffer.wrap(v).putInt(thread).putInt(i);
        return v;
    }

    /** Thread {@code thread}'s batch {@code i}: one of its 25 keys and its counter. */
    private static WriteBatch batch(int thread, int i) {
        return new WriteBatch().put(key(thread, "k" + i % 25), value(thread, i))
                .put(key(thread, "counter"), ByteBuffer.allocate(4).putInt(i).array());
    }

    private static void verify(Image image) {
        String what = "crash state " + image.dir().getFileName();
        try (Lamina db = Lamina.open(image.dir(), LaminaOptions.builder().build())) {
            Map<String, byte[]> found = new TreeMap<>();
            try (LaminaIterator it = db.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    found.put(new String(it.key(), StandardCharsets.UTF_8), it.value());
                }
            }
            for (int t = 0; t < THREADS; t++) {
                byte[] counter = found.get("t" + t + "-counter");
                int c = counter == null ? 0 : ByteBuffer.wrap(counter).getInt();
                if (c < image.acked()[t] || c > image.started()[t]) {
                    throw new AssertionError(what + ": thread " + t + " has batches 1.." + c + ", acknowledged "
                            + image.acked()[t] + ", started " + image.started()[t]);
                }
                Map<String, byte[]> expected = new TreeMap<>();
                for (int i = 1; i <= c; i++) {
                    expected.put("t" + t + "-k" + i % 25, value(t, i));
                }
                for (int k = 0; k < 25; k++) {
                    String name = "t" + t + "-k" + k;
                    if (!Arrays.equals(expected.get(name), found.get(name))) {
                        throw new AssertionError(what + ": thread " + t + " key " + name
                                + " does not match its batches 1.." + c);
                    }
                }
            }
        }
    }
}
