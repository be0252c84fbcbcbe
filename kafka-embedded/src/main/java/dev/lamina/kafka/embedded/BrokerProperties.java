package dev.lamina.kafka.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of the embedded node: one process that is both the KRaft controller (the only voter) and the
 * only broker, listening on loopback only, with every replication factor at 1 and small thread pools and segments
 * so that it starts fast on a two-core machine.
 */
final class BrokerProperties {

    /** The node id of the single combined broker and controller. */
    static final int NODE_ID = 1;

    /** Name of the listener clients use. */
    static final String BROKER_LISTENER = "PLAINTEXT";

    /** Name of the listener the KRaft quorum uses. */
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final String ONE_MIB = Integer.toString(1024 * 1024);

    private BrokerProperties() {
    }

    /**
     * Builds the broker configuration.
     *
     * @param logDir         the single log directory; it also holds the metadata log
     * @param brokerPort     port of the client listener
     * @param controllerPort port of the controller listener
     * @param overrides      settings that replace or add to the defaults below
     * @return the configuration, in a stable order
     */
    static Map<String, String> build(Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        String host = FreePorts.HOST;
        Map<String, String> props = new LinkedHashMap<>();

        // One node that is both controller and broker; a static quorum of one voter.
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort);
        props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        props.put("server.max.startup.time.ms", "60000");

        // A single replica everywhere, including the internal topics of consumer groups, transactions (needed by
        // Kafka Streams' exactly_once_v2) and share groups.
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");

        // Small segments and buffers (the cleaner's dedupe buffer defaults to 128 MiB of heap).
        props.put("log.segment.bytes", ONE_MIB);
        props.put("offsets.topic.segment.bytes", ONE_MIB);
        props.put("transaction.state.log.segment.bytes", ONE_MIB);
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));

        // Few threads: the whole build runs on two cores.
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("group.coordinator.threads", "1");
        props.put("share.coordinator.threads", "1");

        props.putAll(overrides);
        return props;
    }
}
