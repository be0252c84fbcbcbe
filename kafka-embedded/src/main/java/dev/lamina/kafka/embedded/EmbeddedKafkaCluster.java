package dev.lamina.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker running inside this JVM: a single KRaft node that is both controller and broker, bound to
 * {@code 127.0.0.1} on free ports, with every replication factor set to 1 so that consumer groups, transactions
 * and Kafka Streams' {@code exactly_once_v2} work on it.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
 *     kafka.createTopic("input", 2);
 *     props.put("bootstrap.servers", kafka.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * <p>Kafka logs through SLF4J; the application's SLF4J binding decides what is shown. Methods are thread-safe.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    /** How long {@link #createTopic} and the readiness check wait. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Attempts at binding, since another process may take a picked port before the broker binds it. */
    private static final int START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final String bootstrapServers;
    private Admin admin;
    private boolean closed;

    private EmbeddedKafkaCluster(KafkaRaftServer server, Path dataDir, boolean ownsDataDir, String bootstrapServers) {
        this.server = server;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a node in a new temporary directory, which {@link #close()} deletes.
     *
     * @return the running cluster, ready to serve clients
     */
    public static EmbeddedKafkaCluster start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("lamina-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for Kafka", e);
        }
        try {
            return launch(dir, true, Map.of());
        } catch (RuntimeException | Error e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /**
     * Starts a node whose log directory is {@code dataDir}; the directory is created and formatted if needed and
     * kept on {@link #close()}, so a later call can restart the node on the same data (on new ports).
     *
     * @param dataDir         the Kafka log directory (data and metadata log)
     * @param brokerOverrides broker settings that replace or add to the defaults, e.g. {@code log.retention.ms};
     *                        the listener, advertised-listener and quorum settings belong to this class and must
     *                        not be overridden
     * @return the running cluster, ready to serve clients
     */
    public static EmbeddedKafkaCluster start(Path dataDir, Map<String, String> brokerOverrides) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(brokerOverrides, "brokerOverrides");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + dataDir, e);
        }
        return launch(dataDir, false, Map.copyOf(brokerOverrides));
    }

    private static EmbeddedKafkaCluster launch(Path dataDir, boolean ownsDataDir, Map<String, String> overrides) {
        long startNanos = System.nanoTime();
        StorageFormat.formatIfNeeded(dataDir);
        for (int attempt = 1; ; attempt++) {
            int[] ports = FreePorts.pick(2);
            Map<String, String> props = BrokerProperties.build(dataDir, ports[0], ports[1], overrides);
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            try {
                server.startup();
            } catch (RuntimeException e) {
                stop(server);
                if (attempt < START_ATTEMPTS && causedByBindFailure(e)) {
                    LOG.warn("Kafka could not bind its ports ({}), retrying on other ports", e.getMessage());
                    continue;
                }
                throw e;
            }
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(server, dataDir, ownsDataDir,
                    FreePorts.HOST + ":" + ports[0]);
            try {
                cluster.awaitReady();
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
            LOG.info("Embedded Kafka {} started in {} ms (data in {})", cluster.bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dataDir);
            return cluster;
        }
    }

    /** The address clients connect to, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory holding the node's data and metadata logs. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader.
     *
     * @param name       the topic
     * @param partitions its partition count
     * @throws KafkaException if creation fails (the cause tells why, e.g. a
     *         {@link org.apache.kafka.common.errors.TopicExistsException}) or times out
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with replication factor 1 and the given topic configs (e.g. {@code cleanup.policy}) and
     * waits until every partition has a leader.
     *
     * @param name        the topic
     * @param partitions  its partition count
     * @param topicConfig topic-level settings
     * @throws KafkaException if creation fails (the cause tells why) or times out
     */
    public void createTopic(String name, int partitions, Map<String, String> topicConfig) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(topicConfig);
        Admin client = admin();
        await(client.createTopics(List.of(topic)).all(), "creating topic " + name);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!hasLeaders(client, name, partitions)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("timed out waiting for the partitions of " + name + " to get leaders");
            }
            sleep(20);
        }
    }

    /**
     * Whether every partition of a new topic has a leader. Right after creation the broker's metadata may not know
     * the topic yet: that answer (UnknownTopicOrPartition) means "not yet", not failure.
     */
    private static boolean hasLeaders(Admin client, String name, int partitions) {
        try {
            return hasLeaders(await(client.describeTopics(List.of(name)).allTopicNames(), "describing " + name)
                    .get(name).partitions(), partitions);
        } catch (KafkaException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    /**
     * An admin client connected to this cluster, created on first use. It belongs to the cluster: do not close
     * it; {@link #close()} does.
     *
     * @return the shared admin client
     */
    public synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("the embedded Kafka cluster is closed");
        }
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }
        return admin;
    }

    /** Shuts the node down and, if {@link #start()} made the data directory, deletes it. Idempotent. */
    @Override
    public void close() {
        Admin client;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            client = admin;
            admin = null;
        }
        long startNanos = System.nanoTime();
        if (client != null) {
            client.close(Duration.ofSeconds(5));
        }
        stop(server);
        if (ownsDataDir) {
            deleteQuietly(dataDir);
        }
        LOG.info("Embedded Kafka {} stopped in {} ms", bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    /** Startup returns once the broker is unfenced and accepting; this also proves a client can reach it. */
    private void awaitReady() {
        Collection<?> nodes = await(admin().describeCluster().nodes(), "describing the cluster");
        if (nodes.isEmpty()) {
            throw new KafkaException("the embedded Kafka broker reports no nodes");
        }
    }

    private static boolean hasLeaders(List<TopicPartitionInfo> partitions, int expected) {
        return partitions.size() == expected
                && partitions.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            throw new KafkaException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("timed out " + what, e);
        }
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Error while shutting down the embedded Kafka broker", e);
        }
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete {}", dir, e);
        }
    }
}
