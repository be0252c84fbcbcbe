package dev.lamina.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft log directory the way {@code kafka-storage.sh format} does: writes {@code meta.properties}
 * (cluster id, node id, directory id) and the bootstrap metadata checkpoint at the latest production metadata
 * version. A directory formatted before is left alone, so a node can be restarted on its old data.
 */
final class StorageFormat {

    private static final Logger LOG = LoggerFactory.getLogger(StorageFormat.class);

    private StorageFormat() {
    }

    /** Formats {@code logDir} for {@link BrokerProperties#NODE_ID} unless it already holds {@code meta.properties}. */
    static void formatIfNeeded(Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            LOG.debug("{} is already formatted", logDir);
            return;
        }
        String dir = logDir.toAbsolutePath().toString();
        // The formatter reports on a PrintStream (System.out by default); keep that out of the console.
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(BrokerProperties.NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir))
                    .setMetadataLogDirectory(dir)
                    .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log directory " + dir, e);
        }
        LOG.debug("Formatted {}: {}", dir, report.toString(StandardCharsets.UTF_8).trim());
    }
}
