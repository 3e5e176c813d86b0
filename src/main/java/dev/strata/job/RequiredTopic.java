package dev.strata.job;

import java.util.List;
import java.util.Set;
import org.apache.flink.connector.kafka.source.enumerator.subscriber.KafkaSubscriber;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The source's subscription to its input topic, for which a missing topic is final. Kafka's own
 * subscriber fails the job on it like on any broker hiccup, so the job restarted and failed again
 * on the same absent topic; this one fails it once, with the topic's name.
 */
final class RequiredTopic implements KafkaSubscriber {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final String bootstrapServers;
    private final KafkaSubscriber kafka;

    RequiredTopic(String topic, String bootstrapServers) {
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        this.kafka = KafkaSubscriber.getTopicListSubscriber(List.of(topic));
    }

    @Override
    public Set<TopicPartition> getSubscribedTopicPartitions(AdminClient admin) {
        try {
            return kafka.getSubscribedTopicPartitions(admin);
        } catch (RuntimeException e) {
            if (ExceptionUtils.findThrowable(e, UnknownTopicOrPartitionException.class)
                    .isPresent()) {
                throw new NonRecoverable(
                        "input topic '" + topic + "' does not exist on " + bootstrapServers
                                + "; create it (or fix kafka.inputTopic) and start the job again",
                        e);
            }
            throw e;
        }
    }
}
