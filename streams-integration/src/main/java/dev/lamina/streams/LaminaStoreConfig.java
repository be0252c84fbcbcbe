package dev.lamina.streams;

import dev.lamina.store.CommitSync;
import dev.lamina.store.Compression;
import dev.lamina.store.LaminaOptions;
import dev.lamina.store.cache.MemoryBudget;
import dev.lamina.store.vlog.ChecksumLevel;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code lamina.*} settings of a Kafka Streams application: put them in the same {@code Properties} as the
 * Streams config and every Lamina store of the application opens with them.
 *
 * <pre>{@code
 * props.put(LaminaStoreConfig.WRITE_BUFFER_SIZE_CONFIG, "32MiB");
 * props.put(LaminaStoreConfig.COMPRESSION_CONFIG, "zstd");
 * props.put(LaminaStoreConfig.CONFIG_SETTER_CLASS_CONFIG, MySetter.class);
 * }</pre>
 *
 * <p>Sizes are numbers of bytes, or strings with a binary unit: {@code 65536}, {@code "64KiB"}, {@code "32m"},
 * {@code "1GB"} (k, m, g and their KiB/KB forms all mean powers of 1024). Settings the engine does not support yet
 * are recognised, logged once and ignored; unknown {@code lamina.*} keys are logged once as likely typos.
 * {@code docs/configuration.md} lists every setting.
 */
public final class LaminaStoreConfig {
    private static final Logger LOG = LoggerFactory.getLogger(LaminaStoreConfig.class);

    /** Prefix of every Lamina setting. */
    public static final String PREFIX = "lamina.";
    /** Memtable size at which it is written to a table. Default 64 MiB (within the shared memory budget). */
    public static final String WRITE_BUFFER_SIZE_CONFIG = "lamina.write.buffer.bytes";
    /**
     * Full memtables that may wait for their flush while writes go on into a new one (RocksDB's
     * {@code max_write_buffer_number} minus one). Default 2.
     */
    public static final String MAX_IMMUTABLE_MEMTABLES_CONFIG = "lamina.max.immutable.memtables";
    /** Target size of a table's data block before compression. Default 4 KiB. */
    public static final String BLOCK_SIZE_CONFIG = "lamina.block.size.bytes";
    /**
     * A private block cache of this many bytes for each store, instead of the shared memory budget's cache; 0
     * disables caching. Not set by default: stores share {@link #MEMORY_BYTES_CONFIG}. Setting it takes the store
     * out of the shared budget (its memtables then are bounded only by the write buffer).
     */
    public static final String BLOCK_CACHE_SIZE_CONFIG = "lamina.block.cache.bytes";
    /** Block compression: {@code none}, {@code lz4} or {@code zstd}. Default lz4. */
    public static final String COMPRESSION_CONFIG = "lamina.compression";
    /** Bloom filter bits per key; 0 disables the filters. Default 10. */
    public static final String BLOOM_BITS_PER_KEY_CONFIG = "lamina.bloom.bits.per.key";
    /** Values at least this large go to the value log when a memtable is flushed; 0 keeps all inline. Default 1 KiB. */
    public static final String VALUE_THRESHOLD_CONFIG = "lamina.value.threshold.bytes";
    /** Size at which a value-log file is closed and the next one started. Default 64 MiB. */
    public static final String VLOG_FILE_SIZE_CONFIG = "lamina.vlog.file.bytes";
    /**
     * Garbage ratio (above 0, at most 1) at which compaction moves a value-log file's live values out so the file can
     * be deleted. Higher saves writes and costs disk space. Default 0.5.
     */
    public static final String VLOG_GC_THRESHOLD_CONFIG = "lamina.vlog.gc.threshold";
    /** Obsolete value-log files kept to be written over instead of deleted (0 to 64). Default 8. */
    public static final String VLOG_RECYCLE_FILES_CONFIG = "lamina.vlog.recycle.files";
    /** How values read from the value log are checked: {@code off}, {@code header} or {@code full}. Default full. */
    public static final String VLOG_CHECKSUM_CONFIG = "lamina.vlog.checksum";
    /**
     * The JVM-wide memory budget that memtables and the block cache of every Lamina store share (the limit of
     * {@code MemoryBudget.shared()}). Default 256 MiB.
     */
    public static final String MEMORY_BYTES_CONFIG = "lamina.memory.bytes";
    /**
     * When a commit reaches the disk: {@code interval} (the default) hands it to the operating system, so it survives
     * {@code kill -9}, and syncs in the background every {@link #COMMIT_SYNC_INTERVAL_MS_CONFIG}; a power loss brings
     * the store back at an earlier complete commit and Kafka Streams replays the rest from the changelog.
     * {@code always} syncs every commit before it returns.
     */
    public static final String COMMIT_SYNC_CONFIG = "lamina.commit.sync";
    /** Under {@code lamina.commit.sync=interval}: milliseconds between background syncs (1 to 3,600,000). Default 1000. */
    public static final String COMMIT_SYNC_INTERVAL_MS_CONFIG = "lamina.commit.sync.interval.ms";
    /** A {@link LaminaConfigSetter} class (a {@code Class} or its name) applied to every store. */
    public static final String CONFIG_SETTER_CLASS_CONFIG = "lamina.config.setter";

    /** Setting name to how it applies to the options; a null action marks a setting the engine lacks today. */
    private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    static {
        // One line per engine option.
        option(WRITE_BUFFER_SIZE_CONFIG, LaminaStoreConfig::parseSize, (b, v) -> b.writeBufferSize((Long) v));
        option(MAX_IMMUTABLE_MEMTABLES_CONFIG, LaminaStoreConfig::parseInt,
                (b, v) -> b.maxImmutableMemtables((Integer) v));
        option(BLOCK_SIZE_CONFIG, LaminaStoreConfig::parseSize, (b, v) -> b.blockSize(Math.toIntExact((Long) v)));
        option(BLOCK_CACHE_SIZE_CONFIG, LaminaStoreConfig::parseSize,
                (b, v) -> b.blockCacheSize((Long) v).memoryBudget(null));
        option(COMPRESSION_CONFIG, LaminaStoreConfig::parseCompression, (b, v) -> b.compression((Compression) v));
        option(BLOOM_BITS_PER_KEY_CONFIG, LaminaStoreConfig::parseInt, (b, v) -> b.bloomBitsPerKey((Integer) v));
        option(VALUE_THRESHOLD_CONFIG, LaminaStoreConfig::parseSize,
                (b, v) -> b.valueThreshold(Math.toIntExact((Long) v)));
        option(VLOG_FILE_SIZE_CONFIG, LaminaStoreConfig::parseSize, (b, v) -> b.vlogFileSize((Long) v));
        option(VLOG_GC_THRESHOLD_CONFIG, LaminaStoreConfig::parseRatio, (b, v) -> b.vlogGcThreshold((Double) v));
        option(VLOG_RECYCLE_FILES_CONFIG, LaminaStoreConfig::parseInt, (b, v) -> b.vlogRecycleFiles((Integer) v));
        option(VLOG_CHECKSUM_CONFIG, LaminaStoreConfig::parseChecksum, (b, v) -> b.vlogChecksum((ChecksumLevel) v));
        option(COMMIT_SYNC_CONFIG, LaminaStoreConfig::parseCommitSync, (b, v) -> b.commitSync((CommitSync) v));
        option(COMMIT_SYNC_INTERVAL_MS_CONFIG, LaminaStoreConfig::parseLong,
                (b, v) -> b.commitSyncIntervalMillis((Long) v));
        option(MEMORY_BYTES_CONFIG, LaminaStoreConfig::parseSize, (b, v) -> MemoryBudget.shared().setLimit((Long) v));
    }

    private LaminaStoreConfig() {
    }

    private record Option(Function<Object, Object> parser, BiConsumer<LaminaOptions.Builder, Object> action) {
    }

    private static void option(String name, Function<Object, Object> parser,
            BiConsumer<LaminaOptions.Builder, Object> action) {
        OPTIONS.put(name, new Option(parser, action));
    }

    /** The names of every recognised {@code lamina.*} setting, the config setter's included. */
    public static Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>(OPTIONS.keySet());
        names.add(CONFIG_SETTER_CLASS_CONFIG);
        return Collections.unmodifiableSet(names);
    }

    /**
     * Builds the options of one store: the engine defaults, then the {@code lamina.*} settings in {@code configs}.
     * The config setter is not applied here (see {@link #newConfigSetter}).
     *
     * @throws ConfigException naming the setting and the store when a value is invalid
     */
    public static LaminaOptions.Builder options(String storeName, Map<String, ?> configs) {
        LaminaOptions.Builder builder = LaminaOptions.builder().memoryBudget(MemoryBudget.shared());
        for (Map.Entry<String, ?> e : configs.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PREFIX) || key.equals(CONFIG_SETTER_CLASS_CONFIG) || e.getValue() == null) {
                continue;
            }
            Option option = OPTIONS.get(key);
            if (option == null) {
                warnOnce(key, "Ignoring unknown setting {}: not a Lamina store setting (known: {})", key, names());
                continue;
            }
            Object value;
            try {
                value = option.parser().apply(e.getValue());
                if (option.action() != null) {
                    option.action().accept(builder, value);
                }
            } catch (IllegalArgumentException | ArithmeticException ex) {
                throw new ConfigException(key, e.getValue(), "store " + storeName + ": " + ex.getMessage());
            }
            if (option.action() == null) {
                warnOnce(key, "Setting {} is not supported by this Lamina engine yet; ignored", key);
            }
        }
        return builder;
    }

    /**
     * A new instance of the configured {@link LaminaConfigSetter}, or null when none is configured.
     *
     * @throws ConfigException when the class cannot be found or instantiated
     */
    public static LaminaConfigSetter newConfigSetter(Map<String, ?> configs) {
        Object value = configs.get(CONFIG_SETTER_CLASS_CONFIG);
        if (value == null || (value instanceof String s && s.isBlank())) {
            return null;
        }
        try {
            Class<?> type = value instanceof Class<?> c ? c : Class.forName(value.toString().trim(), true,
                    classLoader());
            if (!LaminaConfigSetter.class.isAssignableFrom(type)) {
                throw new ConfigException(CONFIG_SETTER_CLASS_CONFIG, value,
                        "class does not implement " + LaminaConfigSetter.class.getName());
            }
            return (LaminaConfigSetter) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigException(CONFIG_SETTER_CLASS_CONFIG, value, "cannot instantiate: " + e);
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : LaminaStoreConfig.class.getClassLoader();
    }

    private static void warnOnce(String key, String message, Object... args) {
        if (WARNED.add(key)) {
            LOG.warn(message, args);
        }
    }

    private static final String SIZE_FORMS = "expected bytes (65536) or a whole number with a unit: k, m or g,"
            + " alone or followed by b or ib (64KiB, 512MiB, 1GiB)";

    static Object parseSize(Object value) {
        if (value instanceof Number n) {
            return requireNonNegative(n.longValue());
        }
        String s = value.toString().trim().toLowerCase(Locale.ROOT).replace("_", "");
        int unitStart = s.length();
        while (unitStart > 0 && Character.isLetter(s.charAt(unitStart - 1))) {
            unitStart--;
        }
        String unit = s.substring(unitStart).trim();
        String number = s.substring(0, unitStart).trim();
        if (number.isEmpty() || !number.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not a size: '" + value + "'; " + SIZE_FORMS);
        }
        long multiplier = switch (unit) {
            case "", "b" -> 1;
            case "k", "kb", "kib" -> 1L << 10;
            case "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            default -> throw new IllegalArgumentException("unknown size unit '" + unit + "' in '" + value + "'; "
                    + SIZE_FORMS);
        };
        try {
            return requireNonNegative(Math.multiplyExact(Long.parseLong(number), multiplier));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: '" + value + "'; " + SIZE_FORMS);
        }
    }

    static Object parseInt(Object value) {
        return Math.toIntExact((Long) parseLong(value));
    }

    static Object parseLong(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer: '" + value + "'");
        }
    }

    static Object parseRatio(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + value + "'");
        }
    }

    static Object parseChecksum(Object value) {
        return parseEnum(ChecksumLevel.class, value);
    }

    static Object parseCommitSync(Object value) {
        return parseEnum(CommitSync.class, value);
    }

    static Object parseCompression(Object value) {
        return parseEnum(Compression.class, value);
    }

    /** An enum constant given as itself or as its name in any case; the error lists the names. */
    private static <E extends Enum<E>> E parseEnum(Class<E> type, Object value) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        try {
            return Enum.valueOf(type, value.toString().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    private static long requireNonNegative(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return v;
    }
}
