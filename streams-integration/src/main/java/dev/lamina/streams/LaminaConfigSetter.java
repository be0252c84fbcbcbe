package dev.lamina.streams;

import dev.lamina.store.LaminaOptions;
import java.util.Map;

/**
 * Adjusts the engine options of each Lamina store, the way a {@code RocksDBConfigSetter} adjusts RocksDB's. Name the
 * implementing class in the Streams config under {@value LaminaStoreConfig#CONFIG_SETTER_CLASS_CONFIG}; it needs a
 * public no-argument constructor. One instance is created per store instance, after the plain {@code lamina.*}
 * settings have been applied, so the setter has the last word.
 *
 * <pre>{@code
 * public class BigBuffers implements LaminaConfigSetter {
 *     public void setConfig(String storeName, LaminaOptions.Builder options, Map<String, Object> configs) {
 *         if (storeName.startsWith("documents")) {
 *             options.writeBufferSize(64L << 20).compression(Compression.ZSTD);
 *         }
 *     }
 * }
 * }</pre>
 */
public interface LaminaConfigSetter {

    /**
     * Sets options for the store {@code storeName} before it opens.
     *
     * @param storeName the store's name
     * @param options   the options so far (defaults plus {@code lamina.*} settings); change them in place
     * @param configs   the application's Streams configuration
     */
    void setConfig(String storeName, LaminaOptions.Builder options, Map<String, Object> configs);

    /**
     * Releases whatever {@link #setConfig} created for the store, once it has closed. The default does nothing:
     * Lamina's options hold no native resources.
     *
     * @param storeName the store's name
     * @param options   the options the store was opened with
     */
    default void close(String storeName, LaminaOptions options) {
    }
}
