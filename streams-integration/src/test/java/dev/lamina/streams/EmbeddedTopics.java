package dev.lamina.streams;

import dev.lamina.kafka.embedded.EmbeddedKafkaCluster;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates topics on the embedded broker. {@link EmbeddedKafkaCluster#createTopic} can fail with
 * {@link UnknownTopicOrPartitionException} when it describes a topic the broker's metadata has not caught up with
 * yet; the topic exists then, so this waits for its leaders instead of failing.
 */
final class EmbeddedTopics {
    private EmbeddedTopics() {
    }

    static void create(EmbeddedKafkaCluster kafka, String name, int partitions) {
        try {
            kafka.createTopic(name, partitions);
        } catch (KafkaException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
            awaitLeaders(kafka, name, partitions);
        }
    }

    private static void awaitLeaders(EmbeddedKafkaCluster kafka, String name, int partitions) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                TopicDescription d = kafka.admin().describeTopics(List.of(name)).allTopicNames().get().get(name);
                if (d.partitions().size() == partitions
                        && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new KafkaException("describing " + name + " failed", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted", e);
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("timed out waiting for the partitions of " + name + " to get leaders");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted", e);
            }
        }
    }
}
