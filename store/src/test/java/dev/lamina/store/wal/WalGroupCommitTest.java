package dev.lamina.store.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.LaminaIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalGroupCommitTest {
    @TempDir
    Path dir;

    private final TrackingFileSystem fs = new TrackingFileSystem();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void concurrentCommitsShareFsyncsAndEachReturnsOnlyOnceItsRecordIsDurable() throws Exception {
        fs.syncHook = file -> sleep(2); // a slow disk, so that committers pile up behind a sync
        int threads = 8;
        int commitsPerThread = 25;
        Object writeLock = new Object(); // the engine's write lock: appends are serialized by the caller
        Path file = WriteAheadLog.path(dir, 1);
        AtomicInteger notDurable = new AtomicInteger();
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 1)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < commitsPerThread; i++) {
                        long position;
                        synchronized (writeLock) {
                            position = wal.append(WalRecords.encodeCommit(thread * 1000L + i, new byte[40]));
                        }
                        wal.syncTo(position);
                        if (fs.durableBytes(file) < position) {
                            notDurable.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(0, notDurable.get(), "syncTo returned before its position was synced");
            assertEquals(fs.fileSyncs.get(), wal.syncCount());
            assertTrue(wal.syncCount() < threads * commitsPerThread,
                    "expected shared fsyncs, got " + wal.syncCount() + " for " + threads * commitsPerThread);
        }
        assertEquals(threads * commitsPerThread, WalReplayer.replay(fs, file, true, r -> { }).records());
    }

    @Test
    void syncsRunningBesideAppendsLoseAndDamageNothing() throws Exception {
        int records = 3000;
        Path file = WriteAheadLog.path(dir, 1);
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 1)) {
            Future<?> appender = pool.submit(() -> {
                for (int i = 0; i < records; i++) {
                    wal.append(WriteAheadLogTest.batchPayload(i + 1, "key-" + i + "-".repeat(i % 300)));
                }
                return null;
            });
            List<Future<?>> syncers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                syncers.add(pool.submit(() -> {
                    while (!appender.isDone()) {
                        wal.syncTo(wal.bytesWritten());
                    }
                    return null;
                }));
            }
            appender.get(30, TimeUnit.SECONDS);
            for (Future<?> f : syncers) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        long[] expected = {1};
        WalReplayer.ReplayResult result = WalReplayer.replay(fs, file, false, r -> {
            assertEquals(expected[0]++, ((WalRecord.Batch) r).firstSequence());
        });
        assertEquals(records, result.records());
        assertEquals(0, result.droppedBytes());
    }

    @Test
    void rotateWaitsForAnInFlightFsyncInsteadOfClosingTheFileUnderIt() throws Exception {
        CountDownLatch syncEntered = new CountDownLatch(1);
        CountDownLatch releaseSync = new CountDownLatch(1);
        try (WriteAheadLog wal = new WriteAheadLog(fs, dir, 1)) {
            long position = wal.append(WriteAheadLogTest.batchPayload(1, "a"));
            fs.syncHook = file -> {
                if (syncEntered.getCount() > 0) {
                    syncEntered.countDown();
                    await(releaseSync);
                }
            };
            Future<?> committer = pool.submit(() -> wal.syncTo(position));
            await(syncEntered);
            Future<?> rotation = pool.submit(() -> wal.rotate(2));
            assertThrows(TimeoutException.class, () -> rotation.get(200, TimeUnit.MILLISECONDS));
            releaseSync.countDown();
            committer.get(10, TimeUnit.SECONDS);
            rotation.get(10, TimeUnit.SECONDS);
            assertEquals(2, wal.logNumber());
            assertFalse(fs.closedDuringSync.get());
            wal.syncTo(wal.append(WriteAheadLogTest.batchPayload(2, "b")));
        }
        assertEquals(1, WalReplayer.replay(fs, WriteAheadLog.path(dir, 1), false, r -> { }).records());
        assertEquals(1, WalReplayer.replay(fs, WriteAheadLog.path(dir, 2), true, r -> { }).records());
    }

    @Test
    void failedFsyncFailsTheLeaderAndEveryWaiterAndPoisonsTheLog() throws Exception {
        CountDownLatch syncEntered = new CountDownLatch(1);
        CountDownLatch releaseSync = new CountDownLatch(1);
        WriteAheadLog wal = new WriteAheadLog(fs, dir, 1);
        long first = wal.append(WriteAheadLogTest.batchPayload(1, "a"));
        long second = wal.append(WriteAheadLogTest.batchPayload(2, "b"));
        fs.syncHook = file -> {
            syncEntered.countDown();
            await(releaseSync);
            throw new LaminaIOException("injected fsync failure", file, null);
        };
        Future<?> leader = pool.submit(() -> wal.syncTo(first));
        await(syncEntered);
        Future<?> waiter = pool.submit(() -> wal.syncTo(second));
        sleep(100); // let the waiter queue behind the leader's sync
        releaseSync.countDown();
        for (Future<?> f : List.of(leader, waiter)) {
            Exception e = assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof LaminaIOException, "got " + e.getCause());
        }
        int syncsBefore = fs.fileSyncs.get();
        fs.syncHook = file -> { };
        assertThrows(LaminaIOException.class, () -> wal.syncTo(first), "no retry of a failed fsync");
        assertThrows(LaminaIOException.class, () -> wal.append(WriteAheadLogTest.batchPayload(3, "c")));
        assertThrows(LaminaIOException.class, () -> wal.rotate(2));
        wal.close();
        assertEquals(syncsBefore, fs.fileSyncs.get(), "close does not sync a failed log");
    }
}
