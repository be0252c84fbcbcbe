package dev.lamina.store.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lamina.store.Compression;
import dev.lamina.store.key.InternalEntry;
import dev.lamina.store.key.ValueKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the byte-exact example of {@code docs/formats.md ("SSTable format")}. If this fails, the on-disk format changed: bump
 * {@link TableFormat#FORMAT_VERSION} and update the document, or undo the change.
 */
class TableFormatGoldenTest {
    private static final String DOCUMENTED_TABLE = ""
            + "000901" + "610105000000000000" + "78" + "00000000" + "01000000" + "0035cb8fbf"
            + "0011000240048008" + "07" + "00fbe16f01"
            + "000902" + "610105000000000000" + "0015" + "00000000" + "01000000" + "0087e666f5"
            + "1a00000000000000" + "0900000000000000" + "2800000000000000" + "1600000000000000"
            + "0100000000000000" + "01000000" + "ee5defe9" + "4c414d494e535354";

    @TempDir
    Path dir;

    @Test
    void writesTheDocumentedExampleByteForByte() throws Exception {
        Path path = dir.resolve("example.sst");
        TableFixtures.writeTable(path, new TableOptions(4096, 16, Compression.NONE, 10), List.of(
                new InternalEntry(TableFixtures.internalKey("a", 5, ValueKind.VALUE),
                        TableFixtures.bytes("x"))));
        assertArrayEquals(HexFormat.of().parseHex(DOCUMENTED_TABLE), Files.readAllBytes(path));
    }
}
