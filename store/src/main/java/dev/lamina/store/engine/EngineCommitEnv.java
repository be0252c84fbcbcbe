package dev.lamina.store.engine;

import dev.lamina.store.compaction.BackgroundPool;
import java.util.List;

/** The engine as its {@link CommitPipeline} sees it. */
final class EngineCommitEnv implements CommitPipeline.Env {
    private final Engine engine;

    EngineCommitEnv(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void lockWrites() {
        engine.writeLock.lock();
        try {
            engine.checkWritable();
        } catch (RuntimeException e) {
            engine.writeLock.unlock();
            throw e;
        }
    }

    @Override
    public void unlockWrites() {
        engine.writeLock.unlock();
    }

    @Override
    public List<MemtableEntry> immutables() {
        return engine.immutableFlush.entries();
    }

    @Override
    public MemtableEntry mutable() {
        return engine.mutable();
    }

    @Override
    public boolean roomToSwitch(int finishing) {
        ReadState s = engine.readState();
        int waiting = s.imms().size() - finishing;
        return waiting < engine.options.maxImmutableMemtables()
                && s.version().fileCount(0) + waiting < engine.options.level0StopTrigger();
    }

    @Override
    public void switchMutable(boolean waitForRoom) {
        if (waitForRoom) {
            engine.makeRoomForWrite(true, 0);
        } else {
            engine.switchMemtable();
        }
    }

    @Override
    public void awaitInstalled(MemtableEntry entry) {
        engine.immutableFlush.awaitInstalled(entry);
    }

    @Override
    public long lastSequence() {
        return engine.lastSequence();
    }

    @Override
    public void lockLog() {
        engine.logLock.lock();
    }

    @Override
    public void unlockLog() {
        engine.logLock.unlock();
    }

    @Override
    public long memtableRoom() {
        return engine.options.writeBufferSize() - engine.mutable().mem.memoryUsage();
    }

    @Override
    public void scheduleLogWork(Runnable task) {
        engine.background.submit(BackgroundPool.Priority.LOG, task);
    }

    @Override
    public long append(byte[] record) {
        return engine.wal().append(record);
    }

    @Override
    public void writeOut() {
        engine.wal().writeOut();
    }

    @Override
    public void syncTo(long position) {
        engine.wal().syncTo(position);
    }

    @Override
    public RuntimeException refuseWrites(String what, RuntimeException cause) {
        return engine.refuseWrites(what, cause);
    }
}
