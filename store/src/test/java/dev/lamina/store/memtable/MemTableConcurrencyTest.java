package dev.lamina.store.memtable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.iter.InternalIterator;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One writer and several readers on one memtable, as the engine runs it: the writer adds versions (new keys and
 * overwrites, so the hash index grows and the skip list gains levels) and publishes each sequence after its add;
 * readers take the published sequence and check that a point read finds exactly the newest version at or below it,
 * and that a walk is in internal-key order and holds every version up to it.
 */
class MemTableConcurrencyTest {
    private static final int WRITES = 200_000;
    private static final int KEYS = 50_000;

    private volatile long published;

    @Test
    void readersSeeEveryVersionUpToThePublishedSequenceInOrder() throws Exception {
        Random random = new Random(7);
        int[] keyOf = new int[WRITES + 1];
        List<List<Integer>> sequencesOf = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            sequencesOf.add(new ArrayList<>());
        }
        for (int seq = 1; seq <= WRITES; seq++) {
            keyOf[seq] = random.nextInt(KEYS);
            sequencesOf.get(keyOf[seq]).add(seq);
        }
        MemTable mem = new MemTable();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int seq = 1; seq <= WRITES; seq++) {
                    mem.add(seq, ValueKind.VALUE, key(keyOf[seq]), value(seq), true);
                    published = seq;
                }
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                int seed = r;
                readers.add(pool.submit(() -> read(mem, sequencesOf, new Random(seed), writer)));
            }
            writer.get();
            for (Future<Integer> reader : readers) {
                assertTrue(reader.get() > 0, "the reader checked something");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads until the writer is done; returns the number of walks made. */
    private int read(MemTable mem, List<List<Integer>> sequencesOf, Random random, Future<?> writer) {
        int walks = 0;
        while (!writer.isDone() || walks == 0) {
            long at = published;
            for (int i = 0; i < 2000; i++) {
                int k = random.nextInt(KEYS);
                int expected = newestAtOrBelow(sequencesOf.get(k), at);
                InternalEntry e = mem.get(key(k), at);
                if (expected == 0) {
                    assertTrue(e == null || e.sequence() > at);
                } else {
                    assertNotNull(e, "key " + k + " at " + at);
                    assertEquals(expected, e.sequence());
                    assertEquals(expected, ByteBuffer.wrap(e.value()).getLong());
                }
            }
            long seen = 0;
            byte[] previous = null;
            try (InternalIterator it = mem.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    assertTrue(previous == null || InternalKey.COMPARATOR.compare(previous, key) < 0,
                            "walk in internal-key order");
                    previous = key;
                    if (InternalKey.sequence(key) <= at) {
                        seen++;
                    }
                }
            }
            assertEquals(at, seen, "every version up to the published sequence");
            walks++;
        }
        return walks;
    }

    private static int newestAtOrBelow(List<Integer> sequences, long at) {
        int newest = 0;
        for (int s : sequences) {
            if (s <= at) {
                newest = s;
            }
        }
        return newest;
    }

    private static byte[] key(int k) {
        return Arrays.copyOf(ByteBuffer.allocate(4).putInt(k).array(), 4 + k % 13);
    }

    private static byte[] value(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }
}
