package dev.lamina.store.version;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CorruptionException;
import dev.lamina.store.key.InternalKey;
import dev.lamina.store.key.ValueKind;
import dev.lamina.store.util.ByteWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionEditTest {
    private static final byte[] SMALLEST = InternalKey.encode("a".getBytes(), 12, ValueKind.VALUE);
    private static final byte[] LARGEST = InternalKey.encode("z".getBytes(), 40, ValueKind.POINTER);

    @Test
    void aNewTableKeepsItsSequenceRangeAndValueLogReferences() {
        FileMetaData table = new FileMetaData(9, 4096, SMALLEST, LARGEST, 30, new long[] {3, 5}, 12, 40);
        VersionEdit decoded = VersionEdit.decode(new VersionEdit().addFile(0, table).encode());

        FileMetaData f = decoded.newFiles().get(0).file();
        assertEquals(0, decoded.newFiles().get(0).level());
        assertEquals(List.of(9L, 4096L, 30L, 12L, 40L),
                List.of(f.number(), f.size(), f.entries(), f.smallestSequence(), f.largestSequence()));
        assertArrayEquals(new long[] {3, 5}, f.vlogRefs());
        assertArrayEquals(SMALLEST, f.smallest());
        assertArrayEquals(LARGEST, f.largest());
    }

    @Test
    void tablesRecordedWithoutASequenceRangeReadAsTheOldestOne() {
        ByteWriter w = new ByteWriter();
        w.writeVarint32(VersionEdit.TAG_NEW_FILE_LEGACY).writeVarint32(0).writeVarint64(7).writeVarint64(100)
                .writeVarint64(2).writeLengthPrefixed(SMALLEST).writeLengthPrefixed(LARGEST);
        w.writeVarint32(VersionEdit.TAG_NEW_FILE_WITH_VLOG_REFS_LEGACY).writeVarint32(1).writeVarint64(8)
                .writeVarint64(200).writeVarint64(3).writeLengthPrefixed(SMALLEST).writeLengthPrefixed(LARGEST)
                .writeVarint32(1).writeVarint64(4);

        List<VersionEdit.NewFile> files = VersionEdit.decode(w.toByteArray()).newFiles();

        FileMetaData plain = files.get(0).file();
        FileMetaData withRefs = files.get(1).file();
        assertEquals(List.of(7L, 0L, 0L), List.of(plain.number(), plain.smallestSequence(), plain.largestSequence()));
        assertEquals(0, plain.vlogRefs().length);
        assertEquals(List.of(8L, 0L, 0L),
                List.of(withRefs.number(), withRefs.smallestSequence(), withRefs.largestSequence()));
        assertArrayEquals(new long[] {4}, withRefs.vlogRefs());
    }

    @Test
    void anInvertedSequenceRangeIsCorruption() {
        byte[] encoded = new VersionEdit().addFile(0, new FileMetaData(9, 1, SMALLEST, LARGEST, 1, 40, 12)).encode();

        CorruptionException e = assertThrows(CorruptionException.class, () -> VersionEdit.decode(encoded));
        assertTrue(e.getMessage().contains("table 9 has sequence range 40..12"), e.getMessage());
    }
}
