package dev.lamina.store.version;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.io.NioFileSystem;
import dev.lamina.store.io.WritableFile;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.table.TableBuilder;
import dev.lamina.store.table.TableCache;
import dev.lamina.store.table.TableOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /**
     * A flush written again after a failure takes a higher number than a younger memtable's table; level 0 still
     * puts the younger data last (newest), because it orders tables by their sequences.
     */
    @Test
    void levelZeroOrdersTablesBySequenceNotNumber() {
        Version v = Version.empty(x -> { })
                .apply(new VersionEdit().addFile(0, table(20, 1, 100)).addFile(0, table(12, 101, 200)), x -> { })
                .apply(new VersionEdit().addFile(0, table(15, 201, 300)), x -> { });

        assertEquals(List.of(20L, 12L, 15L), numbers(v.files(0)));
    }

    @Test
    void tablesWithoutASequenceRangeSortFirstByNumber() {
        Version v = Version.empty(x -> { }).apply(new VersionEdit().addFile(0, table(30, 5, 9))
                .addFile(0, table(8, 0, 0)).addFile(0, table(3, 0, 0)), x -> { });

        assertEquals(List.of(3L, 8L, 30L), numbers(v.files(0)));
    }

    /**
     * A table replayed from a log at open can hold an older version of a key than a table with a smaller largest
     * sequence (a commit logged that version before the key was written again): a point read still returns the
     * newest version, however the tables sort.
     */
    @Test
    void aPointReadReturnsTheNewestVersionAcrossLevelZeroTablesWhoseSequencesOverlap() {
        FileMetaData holdsNewer = writeTable(1, KEY, 620, "other".getBytes(StandardCharsets.UTF_8), 630);
        FileMetaData holdsOlderButSortsLast = writeTable(2, KEY, 600, "other2".getBytes(StandardCharsets.UTF_8), 700);
        Version v = Version.empty(x -> { }).apply(new VersionEdit().addFile(0, holdsNewer)
                .addFile(0, holdsOlderButSortsLast), x -> { });

        try (TableCache tables = new TableCache(NioFileSystem.instance(), dir, new BlockCache(1 << 20), 0)) {
            InternalEntry e = v.get(KEY, InternalKey.MAX_SEQUENCE, tables);
            assertEquals(620, e.sequence());
            assertEquals(600, v.get(KEY, 610, tables).sequence());
        }
    }

    /** A table holding {@code key} at {@code keySequence} and {@code otherKey} at {@code otherSequence}. */
    private FileMetaData writeTable(long number, byte[] key, long keySequence, byte[] otherKey, long otherSequence) {
        WritableFile file = NioFileSystem.instance().create(FileNames.tablePath(dir, number));
        TableBuilder builder = new TableBuilder(file, TableOptions.defaults());
        builder.add(InternalKey.encode(key, keySequence, ValueKind.VALUE), new byte[] {(byte) keySequence});
        builder.add(InternalKey.encode(otherKey, otherSequence, ValueKind.VALUE), new byte[1]);
        long size = builder.finish();
        file.sync();
        file.close();
        return new FileMetaData(number, size, builder.smallestKey(), builder.largestKey(), 2,
                Math.min(keySequence, otherSequence), Math.max(keySequence, otherSequence));
    }

    private static FileMetaData table(long number, long smallestSequence, long largestSequence) {
        return new FileMetaData(number, 1000, InternalKey.encode("a".getBytes(), largestSequence, ValueKind.VALUE),
                InternalKey.encode("z".getBytes(), smallestSequence, ValueKind.VALUE), 10, smallestSequence,
                largestSequence);
    }

    private static List<Long> numbers(List<FileMetaData> files) {
        return files.stream().map(FileMetaData::number).toList();
    }
}
