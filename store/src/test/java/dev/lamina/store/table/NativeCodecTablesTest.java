package dev.lamina.store.table;

import static dev.lamina.store.table.TableRoundTripTest.assertEntriesForward;

import dev.lamina.store.cache.BlockCache;
import dev.lamina.store.key.InternalEntry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tables written by the native codecs the engine used before (lz4-java's JNI instance, zstd-jni at level 3) read
 * back with the pure-Java ones: the resources are such tables, of {@code sortedEntries(300, 200, 42)} in 512-byte
 * blocks.
 */
class NativeCodecTablesTest {
    @ParameterizedTest
    @ValueSource(strings = {"lz4-blocks.sst", "zstd-blocks.sst"})
    void tablesWrittenByTheNativeCodecsReadBack(String resource) throws URISyntaxException {
        Path path = Path.of(NativeCodecTablesTest.class.getResource(resource).toURI());
        List<InternalEntry> expected = TableFixtures.sortedEntries(300, 200, 42);
        try (TableReader reader = TableFixtures.openTable(path, new BlockCache(0))) {
            assertEntriesForward(expected, reader.newIterator());
        }
    }
}
