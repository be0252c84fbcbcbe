package dev.lamina.store.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CommitSync;
import dev.lamina.store.LaminaIOException;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.wal.WalRecord;
import dev.lamina.store.wal.WalRecords;
import dev.lamina.store.key.ValueKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The commit pipeline on a fake engine ({@link FakeEnv}): no files, no threads. Each test reads the log of what the
 * pipeline asked of the engine, in order. A 256 KiB write buffer: a quarter is 64 KiB, values of 1 KiB and more are
 * bound for the value log.
 */
class CommitPipelineTest {
    private static final LaminaOptions OPTIONS = LaminaOptions.builder().writeBufferSize(256 << 10).build();
    private static final long LOG_AHEAD_BYTES = 16 << 10;

    /** An engine of memtable entries and a log of calls; a flush "installs" when awaited unless told to fail. */
    private static class FakeEnv implements CommitPipeline.Env {
        final List<String> calls = new ArrayList<>();
        final List<MemtableEntry> immutables = new ArrayList<>();
        final Set<MemtableEntry> failingFlushes = new HashSet<>();
        final List<WalRecord> log = new ArrayList<>();
        MemtableEntry mutable = MemtableEntry.empty(OPTIONS);
        boolean room = true;
        boolean appendFails;
        final List<Runnable> logWork = new ArrayList<>();
        long sequence;
        boolean locked;
        boolean logLocked;

        @Override
        public void lockWrites() {
            assertTrue(!locked, "the write lock is not reentered");
            locked = true;
        }

        @Override
        public void unlockWrites() {
            locked = false;
        }

        @Override
        public List<MemtableEntry> immutables() {
            assertTrue(locked);
            return List.copyOf(immutables);
        }

        @Override
        public MemtableEntry mutable() {
            assertTrue(locked);
            return mutable;
        }

        @Override
        public boolean roomToSwitch(int finishing) {
            return room || finishing > 0;
        }

        @Override
        public void switchMutable(boolean waitForRoom) {
            assertTrue(locked);
            calls.add(waitForRoom ? "switch, waiting for room" : "switch");
            immutables.add(mutable);
            mutable = MemtableEntry.empty(OPTIONS);
        }

        @Override
        public void awaitInstalled(MemtableEntry entry) {
            assertTrue(!locked, "a commit never waits for a flush holding the write lock");
            calls.add("await " + name(entry));
            if (failingFlushes.contains(entry)) {
                throw new LaminaIOException("injected flush failure", java.nio.file.Path.of("store"), null);
            }
            immutables.remove(entry);
        }

        @Override
        public long lastSequence() {
            return sequence;
        }

        @Override
        public void lockLog() {
            assertTrue(!logLocked, "the log lock is not reentered");
            logLocked = true;
        }

        @Override
        public void unlockLog() {
            logLocked = false;
        }

        @Override
        public long memtableRoom() {
            assertTrue(locked);
            return OPTIONS.writeBufferSize() - mutable.mem.memoryUsage();
        }

        @Override
        public void scheduleLogWork(Runnable task) {
            calls.add("queue log-ahead");
            logWork.add(task);
        }

        @Override
        public long append(byte[] record) {
            assertTrue(logLocked, "appends hold the log lock");
            if (appendFails) {
                throw new LaminaIOException("injected append failure", java.nio.file.Path.of("store"), null);
            }
            WalRecord r = WalRecords.decode(record);
            log.add(r);
            calls.add(r instanceof WalRecord.Commit ? "append commit" : "append " + ((WalRecord.Entries) r)
                    .batch().count() + " entries");
            return log.size();
        }

        @Override
        public void writeOut() {
            assertTrue(logLocked, "a write-out holds the log lock");
            calls.add("write out");
        }

        @Override
        public void syncTo(long position) {
            assertTrue(!locked, "the fsync runs outside the write lock");
            calls.add("sync " + position);
        }

        @Override
        public RuntimeException refuseWrites(String what, RuntimeException cause) {
            calls.add("refuse writes: " + what);
            return cause;
        }

        String name(MemtableEntry entry) {
            int i = immutables.indexOf(entry);
            return i >= 0 ? "immutable " + i : entry == mutable ? "mutable" : "installed";
        }

        /** Writes {@code count} values of {@code size} bytes to the mutable memtable's unlogged writes. */
        void put(int count, int size) {
            for (int i = 0; i < count; i++) {
                ++sequence;
                mutable.mem.add(sequence, ValueKind.VALUE, ("key-" + sequence).getBytes(StandardCharsets.UTF_8),
                        new byte[size], true);
            }
        }

        /** As {@link #put}, each write then counted by {@code commits} as the engine's writers do. */
        void write(CommitPipeline commits, int count, int size) {
            for (int i = 0; i < count; i++) {
                put(1, size);
                locked = true;
                commits.afterWrite(size + 10);
                locked = false;
            }
        }

        /** Runs the queued log-ahead tasks, as the log thread does. */
        void runLogWork() {
            List<Runnable> tasks = List.copyOf(logWork);
            logWork.clear();
            tasks.forEach(Runnable::run);
        }

        /** Makes the mutable memtable immutable, as a writer's switch does. */
        MemtableEntry switchNow() {
            MemtableEntry e = mutable;
            immutables.add(e);
            mutable = MemtableEntry.empty(OPTIONS);
            return e;
        }
    }

    private static CommitPipeline pipeline(FakeEnv env, CommitSync sync) {
        return new CommitPipeline(env, sync, "store", null, LOG_AHEAD_BYTES);
    }

    /** A pipeline under INTERVAL after two commits with {@code writes} writes between them; calls cleared. */
    private static CommitPipeline afterTwoCommits(FakeEnv env, int writes, int valueBytes) {
        CommitPipeline commits = pipeline(env, CommitSync.INTERVAL);
        commits.commit(bytes("c1"));
        env.write(commits, writes, valueBytes);
        commits.commit(bytes("c2"));
        env.calls.clear();
        return commits;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void smallWritesAreLoggedThenTheCommitRecordHandedToTheOsWithoutAnFsync() {
        FakeEnv env = new FakeEnv();
        env.put(10, 100);
        CommitPipeline commits = pipeline(env, CommitSync.INTERVAL);
        commits.commit(bytes("c1"));
        assertEquals(List.of("append 10 entries", "append commit", "write out"), env.calls);
        assertArrayEquals(bytes("c1"), commits.committedMetadata());
        assertArrayEquals(bytes("c1"), commits.lastAppendedCommit());
        assertEquals(10, ((WalRecord.Commit) env.log.get(1)).lastSequence());
        assertTrue(env.mutable.unlogged.isEmpty(), "logged writes are not logged again");
    }

    @Test
    void underAlwaysTheCommitSyncsUpToItsRecordAfterTheLock() {
        FakeEnv env = new FakeEnv();
        env.put(3, 100);
        pipeline(env, CommitSync.ALWAYS).commit(bytes("c1"));
        assertEquals(List.of("append 3 entries", "append commit", "sync 2"), env.calls);
    }

    @Test
    void anImmutableMemtableOfSmallValuesIsLoggedOldestFirstWithoutWaitingForItsFlush() {
        FakeEnv env = new FakeEnv();
        env.put(4, 100);
        env.switchNow();
        env.put(2, 100);
        pipeline(env, CommitSync.INTERVAL).commit(bytes("c1"));
        assertEquals(List.of("append 4 entries", "append 2 entries", "append commit", "write out"), env.calls);
    }

    @Test
    void anImmutableMemtableOfLargeValuesIsAwaitedAndItsWritesNotLogged() {
        FakeEnv env = new FakeEnv();
        env.put(20, 2048);
        env.switchNow();
        env.put(2, 100);
        pipeline(env, CommitSync.INTERVAL).commit(bytes("c1"));
        assertEquals(List.of("await immutable 0", "append 2 entries", "append commit", "write out"), env.calls);
    }

    @Test
    void theWritesOfAMemtableWhoseAwaitedFlushFailedAreLogged() {
        FakeEnv env = new FakeEnv();
        env.put(20, 2048);
        env.failingFlushes.add(env.switchNow());
        pipeline(env, CommitSync.INTERVAL).commit(bytes("c1"));
        assertEquals(List.of("await immutable 0", "append 20 entries", "append commit", "write out"), env.calls);
    }

    @Test
    void aMutableMemtableWithAQuarterOfABufferOfLargeValuesIsSwitchedAndAwaitedWhenThereIsRoom() {
        FakeEnv env = new FakeEnv();
        env.put(40, 2048);
        pipeline(env, CommitSync.INTERVAL).commit(bytes("c1"));
        assertEquals(List.of("switch", "await immutable 0", "append commit", "write out"), env.calls);
    }

    @Test
    void withoutRoomTheMutableMemtableIsLoggedRatherThanWaitingForRoom() {
        FakeEnv env = new FakeEnv();
        env.room = false;
        env.put(40, 2048);
        pipeline(env, CommitSync.INTERVAL).commit(bytes("c1"));
        assertEquals(List.of("append 40 entries", "append commit", "write out"), env.calls);
    }

    @Test
    void restoredWritesAreMadeDurableInATableEvenIfTheSwitchMustWaitForRoom() {
        FakeEnv env = new FakeEnv();
        env.room = false;
        env.mutable.restored();
        pipeline(env, CommitSync.INTERVAL).commit(bytes("c1"));
        assertEquals(List.of("switch, waiting for room", "await immutable 0", "append commit", "write out"),
                env.calls);
    }

    @Test
    void aFailedFlushOfRestoredWritesFailsTheCommitBeforeAnythingIsAppended() {
        FakeEnv env = new FakeEnv();
        env.mutable.restored();
        MemtableEntry restored = env.switchNow();
        env.failingFlushes.add(restored);
        CommitPipeline commits = pipeline(env, CommitSync.INTERVAL);
        assertThrows(LaminaIOException.class, () -> commits.commit(bytes("c1")));
        assertEquals(List.of("await immutable 0"), env.calls);
        assertNull(commits.committedMetadata(), "nothing was acknowledged");
    }

    @Test
    void aFailedAppendRefusesWritesAndAcknowledgesNothing() {
        FakeEnv env = new FakeEnv();
        env.put(1, 100);
        env.appendFails = true;
        CommitPipeline commits = pipeline(env, CommitSync.ALWAYS);
        assertThrows(LaminaIOException.class, () -> commits.commit(bytes("c1")));
        assertEquals(List.of("refuse writes: write-ahead log append of a commit failed"), env.calls);
        assertNull(commits.committedMetadata());
        assertTrue(!env.locked, "the write lock is released");
    }

    @Test
    void aMemtableAWriterSwitchedBetweenThePassesIsAwaitedNotSwitchedAgain() {
        int[] locks = {0};
        FakeEnv env = new FakeEnv() {
            @Override
            public void lockWrites() {
                if (++locks[0] == 2) {
                    switchNow(); // a writer filled the planned memtable meanwhile
                }
                super.lockWrites();
            }
        };
        env.put(40, 2048);
        pipeline(env, CommitSync.INTERVAL).commit(bytes("c1"));
        assertEquals(List.of("await immutable 0", "append commit", "write out"), env.calls);
    }

    @Test
    void onceCommitsComeOftenerThanTheMemtableFillsWritesAreLoggedAheadAndTheCommitLogsOnlyTheTail() {
        FakeEnv env = new FakeEnv();
        // 10 small writes between two commits: far less than the memtable's room
        CommitPipeline commits = afterTwoCommits(env, 10, 100);
        env.write(commits, 40, 500);
        assertEquals(List.of("queue log-ahead"), env.calls, "queued once, when 16 KiB are unlogged");
        env.runLogWork();
        env.write(commits, 3, 500);
        commits.commit(bytes("c3"));
        assertEquals(List.of("queue log-ahead", "append 40 entries", "write out", "append 3 entries",
                "append commit", "write out"), env.calls);
        assertTrue(!env.locked && !env.logLocked);
    }

    @Test
    void noWritesAreLoggedAheadBeforeTwoCommitsShowHowOftenCommitsCome() {
        FakeEnv env = new FakeEnv();
        CommitPipeline commits = pipeline(env, CommitSync.INTERVAL);
        env.write(commits, 100, 500);
        commits.commit(bytes("c1"));
        env.write(commits, 100, 500);
        assertEquals(List.of("append 100 entries", "append commit", "write out"), env.calls);
    }

    @Test
    void noWritesAreLoggedAheadWhenMoreWasWrittenBetweenTheLastCommitsThanTheMemtableHasRoomFor() {
        FakeEnv env = new FakeEnv();
        // 153 KB, more than the 256 KiB buffer has room for once they are in it
        CommitPipeline commits = afterTwoCommits(env, 300, 500);
        env.write(commits, 100, 500);
        assertEquals(List.of(), env.calls);
    }

    @Test
    void valuesBoundForTheValueLogAreNotLoggedAhead() {
        FakeEnv env = new FakeEnv();
        CommitPipeline commits = afterTwoCommits(env, 0, 0);
        env.write(commits, 20, 2048);
        assertEquals(List.of(), env.calls);
    }

    @Test
    void aLogAheadTaskThatIsNoLongerDueLogsNothing() {
        FakeEnv env = new FakeEnv();
        CommitPipeline commits = afterTwoCommits(env, 0, 0);
        env.write(commits, 40, 500);
        commits.commit(bytes("c3")); // the commit logged them before the task ran
        env.calls.clear();
        env.runLogWork();
        assertEquals(List.of(), env.calls);
    }
}
