package dev.lamina.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers beside a writer, as interactive queries run beside a Kafka Streams task: point reads, scans both ways
 * and snapshots while the writer overwrites, deletes, commits, flushes, compacts and collects the value log. Every
 * value read must belong to its key (values carry their key), no reader may fail, and after close no file handle
 * is left open. A few seconds in CI; minutes under {@code -Dlamina.stress=true}.
 */
class ConcurrentReadersSoakTest {
    private static final int KEYS = 2000;

    @TempDir
    Path dir;

    private static byte[] key(int k) {
        return String.format("key-%05d", k).getBytes();
    }

    /** A value that names its key and version, padded so some go to the value log. */
    private static byte[] value(int k, long version, int size) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(12, size));
        b.putInt(k).putLong(version);
        return b.array();
    }

    private static void checkBelongs(byte[] key, byte[] value) {
        int k = Integer.parseInt(new String(key, 4, 5));
        if (ByteBuffer.wrap(value).getInt() != k) {
            throw new AssertionError("value of key " + k + " belongs to key " + ByteBuffer.wrap(value).getInt());
        }
    }

    @Test
    void readersBesideAWriterSeeOnlyWholeCorrectValuesAndLeakNothing() throws Exception {
        // A first short run loads every class (and opens every jar) the soak needs, so the descriptor count taken
        // after it is a fair baseline.
        soak(dir.resolve("warm-up"), 1);
        long fdsBefore = openFileDescriptors();
        long reads = soak(dir.resolve("store"), Boolean.getBoolean("lamina.stress") ? 180 : 6);
        System.out.printf("ConcurrentReadersSoakTest: %d reads%n", reads);
        if (fdsBefore >= 0) {
            assertEquals(fdsBefore, openFileDescriptors(), "file handles left open after close");
        }
    }

    private long soak(Path dir, long seconds) throws Exception {
        LaminaOptions options = LaminaOptions.builder().writeBufferSize(128 << 10).vlogFileSize(256 << 10)
                .vlogGcThreshold(0.3).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        try (Lamina db = Lamina.open(dir, options)) {
            List<Thread> threads = new ArrayList<>();
            threads.add(new Thread(() -> write(db, stop, failure), "writer"));
            for (int r = 0; r < 3; r++) {
                int seed = r;
                threads.add(new Thread(() -> read(db, seed, stop, failure, reads), "reader-" + r));
            }
            threads.forEach(Thread::start);
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline && failure.get() == null) {
                Thread.sleep(50);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(60_000);
            }
            if (failure.get() != null) {
                throw new AssertionError("a thread failed", failure.get());
            }
            if (seconds > 1) {
                assertTrue(db.statistics().compactions() > 0, "the soak should have compacted");
            }
        }
        return reads.get();
    }

    private static void write(Lamina db, AtomicBoolean stop, AtomicReference<Throwable> failure) {
        Random random = new Random(1);
        try {
            for (long version = 1; !stop.get(); version++) {
                int k = random.nextInt(KEYS);
                if (random.nextInt(10) == 0) {
                    db.delete(key(k));
                } else {
                    db.put(key(k), value(k, version, random.nextInt(8) == 0 ? 3000 : 60));
                }
                if (version % 500 == 0) {
                    db.commit(Long.toString(version).getBytes());
                }
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private static void read(Lamina db, int seed, AtomicBoolean stop, AtomicReference<Throwable> failure,
            AtomicLong reads) {
        Random random = new Random(100 + seed);
        try {
            while (!stop.get()) {
                int op = random.nextInt(10);
                if (op < 6) {
                    byte[] k = key(random.nextInt(KEYS));
                    byte[] v = db.get(k);
                    if (v != null) {
                        checkBelongs(k, v);
                    }
                } else if (op < 9) {
                    try (LaminaIterator it = db.newIterator()) {
                        boolean forward = random.nextBoolean();
                        if (forward) {
                            it.seek(key(random.nextInt(KEYS)));
                        } else {
                            it.seekForPrev(key(random.nextInt(KEYS)));
                        }
                        byte[] last = null;
                        for (int n = 0; n < 100 && it.isValid(); n++) {
                            byte[] k = it.key();
                            checkBelongs(k, it.value());
                            if (last != null && (Arrays.compareUnsigned(k, last) > 0) != forward) {
                                throw new AssertionError("scan out of order");
                            }
                            last = k;
                            if (forward) {
                                it.next();
                            } else {
                                it.prev();
                            }
                        }
                    }
                } else {
                    try (Snapshot s = db.getSnapshot()) {
                        byte[] k = key(random.nextInt(KEYS));
                        byte[] first = db.get(s, k);
                        Thread.sleep(1);
                        if (!Arrays.equals(first, db.get(s, k))) {
                            throw new AssertionError("a snapshot read changed");
                        }
                    }
                }
                reads.incrementAndGet();
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /** Open file descriptors of this process (Linux), or -1 where that cannot be read. */
    private static long openFileDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
