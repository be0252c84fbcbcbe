package dev.lamina.store.engine;

import dev.lamina.store.LaminaStatistics;
import dev.lamina.store.version.VlogFileState;
import dev.lamina.store.wal.WriteAheadLog;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** The engine's counters, read live. */
public final class EngineStatistics implements LaminaStatistics {
    private final Engine engine;
    private final LongAdder userBytes = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder flushes = new LongAdder();
    private final LongAdder memtableCompactions = new LongAdder();
    private final LongAdder flushBytes = new LongAdder();
    private final LongAdder flushNanos = new LongAdder();
    private final LongAdder stallNanos = new LongAdder();
    private final LongAdder compactions = new LongAdder();
    private final LongAdder compactionRead = new LongAdder();
    private final LongAdder compactionWritten = new LongAdder();
    private final LongAdder vlogBytes = new LongAdder();
    private final LongAdder vlogFilesDeleted = new LongAdder();
    private final LongAdder relocations = new LongAdder();

    EngineStatistics(Engine engine) {
        this.engine = engine;
    }

    void recordWrite(long bytes) {
        userBytes.add(bytes);
    }

    void recordCommit() {
        commits.increment();
    }

    void recordFlush(long bytes, long nanos) {
        flushes.increment();
        flushBytes.add(bytes);
        flushNanos.add(nanos);
    }

    void recordCompaction(long bytesRead, long bytesWritten) {
        compactions.increment();
        compactionRead.add(bytesRead);
        compactionWritten.add(bytesWritten);
    }

    @Override
    public long compactions() {
        return compactions.sum();
    }

    @Override
    public long compactionBytesRead() {
        return compactionRead.sum();
    }

    @Override
    public long compactionBytesWritten() {
        return compactionWritten.sum();
    }

    void recordVlogWrite(long bytes) {
        vlogBytes.add(bytes);
    }

    void recordVlogFileDeleted() {
        vlogFilesDeleted.increment();
    }

    void recordRelocations(long values) {
        relocations.add(values);
    }

    @Override
    public long vlogBytesWritten() {
        return vlogBytes.sum();
    }

    @Override
    public int vlogFiles() {
        return engine.versions.current().vlogFiles().size();
    }

    @Override
    public long vlogLiveBytes() {
        return engine.versions.current().vlogFiles().values().stream().mapToLong(VlogFileState::liveBytes).sum();
    }

    @Override
    public long vlogGarbageBytes() {
        return engine.versions.current().vlogFiles().values().stream()
                .mapToLong(VlogFileState::garbageBytes).sum();
    }

    @Override
    public List<VlogFileState> vlogFileStates() {
        return List.copyOf(engine.versions.current().vlogFiles().values());
    }

    @Override
    public long vlogFilesDeleted() {
        return vlogFilesDeleted.sum();
    }

    @Override
    public long vlogFilesReused() {
        return engine.recycledVlogs.reusedFiles();
    }

    @Override
    public long vlogKeptBytes() {
        return engine.recycledVlogs.keptBytes();
    }

    @Override
    public long vlogValuesRelocated() {
        return relocations.sum();
    }

    @Override
    public long valueCacheHits() {
        return engine.valueLog.cacheHits();
    }

    @Override
    public long valueCacheMisses() {
        return engine.valueLog.cacheMisses();
    }

    void recordStall(long nanos) {
        stallNanos.add(nanos);
    }

    @Override
    public long bytesWritten() {
        return engine.fs.bytesWritten();
    }

    @Override
    public long userBytesWritten() {
        return userBytes.sum();
    }

    @Override
    public long walBytesWritten() {
        WriteAheadLog wal = engine.wal();
        return wal == null ? 0 : wal.bytesWritten();
    }

    @Override
    public long bytesRead() {
        return engine.fs.bytesRead();
    }

    @Override
    public long walSyncs() {
        WriteAheadLog wal = engine.wal();
        return wal == null ? 0 : wal.syncCount();
    }

    @Override
    public long commits() {
        return commits.sum();
    }

    @Override
    public long flushes() {
        return flushes.sum();
    }

    @Override
    public long memtableCompactions() {
        return memtableCompactions.sum();
    }

    void recordMemtableCompaction() {
        memtableCompactions.increment();
    }

    @Override
    public long flushBytesWritten() {
        return flushBytes.sum();
    }

    @Override
    public long flushNanos() {
        return flushNanos.sum();
    }

    @Override
    public int tableFiles(int level) {
        return engine.versions.current().fileCount(level);
    }

    @Override
    public long tableBytes(int level) {
        return engine.versions.current().levelBytes(level);
    }

    @Override
    public long memtableBytes() {
        return engine.readState().memtableBytes();
    }

    @Override
    public long stallNanos() {
        return stallNanos.sum();
    }

    @Override
    public long blockCacheHits() {
        return engine.blockCache.hits();
    }

    @Override
    public long blockCacheMisses() {
        return engine.blockCache.misses();
    }

    @Override
    public long blockCacheBytes() {
        var budget = engine.budget();
        return budget == null ? engine.blockCache.usedBytes()
                : engine.blockCache.partitionBytes(budget.cachePartition());
    }

    @Override
    public long lastSequence() {
        return engine.lastSequence();
    }

    @Override
    public String toString() {
        return "LaminaStatistics{bytesWritten=" + bytesWritten() + ", userBytesWritten=" + userBytesWritten()
                + ", walSyncs=" + walSyncs() + ", commits=" + commits() + ", flushes=" + flushes()
                + ", memtableCompactions=" + memtableCompactions()
                + ", compactions=" + compactions() + ", level0Files=" + tableFiles(0) + ", memtableBytes="
                + memtableBytes() + "}";
    }
}
