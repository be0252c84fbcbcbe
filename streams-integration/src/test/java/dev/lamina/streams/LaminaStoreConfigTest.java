package dev.lamina.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lamina.store.CommitSync;
import dev.lamina.store.Compression;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.cache.MemoryBudget;
import dev.lamina.store.vlog.ChecksumLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaminaStoreConfigTest {
    @TempDir
    Path dir;

    /** Records what it was given; Kafka Streams creates one per store. */
    public static final class RecordingSetter implements LaminaConfigSetter {
        static final List<String> EVENTS = new ArrayList<>();

        @Override
        public void setConfig(String storeName, LaminaOptions.Builder options, Map<String, Object> configs) {
            options.blockSize(8192);
            EVENTS.add("set " + storeName + " " + configs.get("my.setting"));
        }

        @Override
        public void close(String storeName, LaminaOptions options) {
            EVENTS.add("close " + storeName + " blockSize=" + options.blockSize());
        }
    }

    @Test
    void laminaSettingsBecomeEngineOptions() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG, "32MiB");
        configs.put(LaminaStoreConfig.BLOCK_SIZE_CONFIG, 16384);
        configs.put(LaminaStoreConfig.BLOCK_CACHE_SIZE_CONFIG, "1g");
        configs.put(LaminaStoreConfig.COMPRESSION_CONFIG, "zstd");
        configs.put(LaminaStoreConfig.BLOOM_BITS_PER_KEY_CONFIG, "12");
        configs.put(LaminaStoreConfig.MAX_IMMUTABLE_MEMTABLES_CONFIG, "3");
        configs.put("unrelated.setting", "x");
        LaminaOptions options = LaminaStoreConfig.options("s", configs).build();
        assertEquals(32L << 20, options.writeBufferSize());
        assertEquals(16384, options.blockSize());
        assertEquals(1L << 30, options.blockCacheSize());
        assertEquals(Compression.ZSTD, options.compression());
        assertEquals(12, options.bloomBitsPerKey());
        assertEquals(3, options.maxImmutableMemtables());
    }

    @Test
    void valueLogSettingsBecomeEngineOptions() {
        LaminaOptions options = LaminaStoreConfig.options("s", Map.of(
                LaminaStoreConfig.VLOG_FILE_SIZE_CONFIG, "128MiB",
                LaminaStoreConfig.VLOG_GC_THRESHOLD_CONFIG, "0.75",
                LaminaStoreConfig.VLOG_RECYCLE_FILES_CONFIG, 2,
                LaminaStoreConfig.VLOG_CHECKSUM_CONFIG, "header")).build();
        assertEquals(128L << 20, options.vlogFileSize());
        assertEquals(0.75, options.vlogGcThreshold());
        assertEquals(2, options.vlogRecycleFiles());
        assertEquals(ChecksumLevel.HEADER, options.vlogChecksum());
        ConfigException ratio = assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.VLOG_GC_THRESHOLD_CONFIG, "1.5")));
        assertTrue(ratio.getMessage().contains("vlogGcThreshold must be in (0, 1]"), ratio.getMessage());
        assertTrue(ratio.getMessage().contains("store counts"), ratio.getMessage());
        ConfigException level = assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.VLOG_CHECKSUM_CONFIG, "sometimes")));
        assertTrue(level.getMessage().contains("expected one of off, header, full"), level.getMessage());
    }

    @Test
    void commitSyncSettingsBecomeEngineOptions() {
        LaminaOptions defaults = LaminaStoreConfig.options("s", Map.of()).build();
        assertEquals(CommitSync.INTERVAL, defaults.commitSync());
        assertEquals(1000, defaults.commitSyncIntervalMillis());
        LaminaOptions options = LaminaStoreConfig.options("s", Map.of(
                LaminaStoreConfig.COMMIT_SYNC_CONFIG, "always",
                LaminaStoreConfig.COMMIT_SYNC_INTERVAL_MS_CONFIG, "250")).build();
        assertEquals(CommitSync.ALWAYS, options.commitSync());
        assertEquals(250, options.commitSyncIntervalMillis());
        ConfigException mode = assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.COMMIT_SYNC_CONFIG, "never")));
        assertTrue(mode.getMessage().contains("expected one of always, interval"), mode.getMessage());
        ConfigException interval = assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.COMMIT_SYNC_INTERVAL_MS_CONFIG, 0)));
        assertTrue(interval.getMessage().contains("commitSyncIntervalMillis must be in [1, 3600000]"),
                interval.getMessage());
        assertTrue(interval.getMessage().contains("store counts"), interval.getMessage());
    }

    @Test
    void sizesAcceptBinaryUnits() {
        assertEquals(65536L, LaminaStoreConfig.parseSize("64KiB"));
        assertEquals(65536L, LaminaStoreConfig.parseSize("64 kb"));
        assertEquals(3L << 20, LaminaStoreConfig.parseSize("3m"));
        assertEquals(2L << 30, LaminaStoreConfig.parseSize("2GB"));
        assertEquals(100L, LaminaStoreConfig.parseSize(100));
        assertEquals(1_000_000L, LaminaStoreConfig.parseSize("1_000_000"));
    }

    @Test
    void aSizeThatIsNotANumberSaysWhichFormsAreAccepted() {
        ConfigException word = assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.MEMORY_BYTES_CONFIG, "abc")));
        assertTrue(word.getMessage().contains("not a size: 'abc'"), word.getMessage());
        assertTrue(word.getMessage().contains("512MiB"), word.getMessage());
        assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG, "1.5GiB")));
        ConfigException unit = assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG, "12 parsecs")));
        assertTrue(unit.getMessage().contains("unknown size unit 'parsecs'"), unit.getMessage());
        assertTrue(unit.getMessage().contains("1GiB"), unit.getMessage());
    }

    @Test
    void invalidValuesNameTheSettingAndTheStore() {
        ConfigException unit = assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG, "12 parsecs")));
        assertTrue(unit.getMessage().contains(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG), unit.getMessage());
        assertTrue(unit.getMessage().contains("store counts"), unit.getMessage());
        ConfigException range = assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG, 10)));
        assertTrue(range.getMessage().contains("writeBufferSize must be in"), range.getMessage());
        assertThrows(ConfigException.class, () -> LaminaStoreConfig.options("counts",
                Map.of(LaminaStoreConfig.COMPRESSION_CONFIG, "snappy")));
    }

    @Test
    void valueThresholdAndTheSharedMemoryBudgetReachTheEngineAndUnknownKeysAreIgnored() {
        long before = MemoryBudget.shared().limit();
        try {
            LaminaOptions options = LaminaStoreConfig.options("s", Map.of(
                    LaminaStoreConfig.VALUE_THRESHOLD_CONFIG, "4KiB", LaminaStoreConfig.MEMORY_BYTES_CONFIG, "512MiB",
                    "lamina.no.such.thing", "1")).build();
            assertEquals(4096, options.valueThreshold());
            assertSame(MemoryBudget.shared(), options.memoryBudget(), "stores share the JVM-wide budget");
            assertEquals(512L << 20, MemoryBudget.shared().limit());
            assertTrue(LaminaStoreConfig.names().contains(LaminaStoreConfig.CONFIG_SETTER_CLASS_CONFIG));
            assertNull(LaminaStoreConfig.newConfigSetter(Map.of()));
        } finally {
            MemoryBudget.shared().setLimit(before);
        }
    }

    @Test
    void aPrivateBlockCacheTakesTheStoreOutOfTheSharedBudget() {
        LaminaOptions options = LaminaStoreConfig.options("s",
                Map.of(LaminaStoreConfig.BLOCK_CACHE_SIZE_CONFIG, "8MiB")).build();
        assertNull(options.memoryBudget());
        assertEquals(8L << 20, options.blockCacheSize());
    }

    @Test
    void theConfigSetterRunsPerStoreAndIsClosedWithIt() {
        RecordingSetter.EVENTS.clear();
        TestStoreContext context = new TestStoreContext(dir.toFile())
                .config(LaminaStoreConfig.CONFIG_SETTER_CLASS_CONFIG, RecordingSetter.class.getName())
                .config(LaminaStoreConfig.BLOCK_SIZE_CONFIG, 1024)
                .config("my.setting", "hello");
        KeyValueStore<Bytes, byte[]> store = StoreHarness.open(LaminaStores.persistentKeyValueStore("docs"), context);
        store.close();
        assertEquals(List.of("set docs hello", "close docs blockSize=8192"), RecordingSetter.EVENTS,
                "the setter has the last word over lamina.* settings");
    }

    @Test
    void aSetterThatIsNoSetterIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> LaminaStoreConfig.newConfigSetter(
                Map.of(LaminaStoreConfig.CONFIG_SETTER_CLASS_CONFIG, String.class)));
        assertTrue(e.getMessage().contains("does not implement"), e.getMessage());
        assertThrows(ConfigException.class, () -> LaminaStoreConfig.newConfigSetter(
                Map.of(LaminaStoreConfig.CONFIG_SETTER_CLASS_CONFIG, "no.such.Setter")));
    }
}
