package dev.strata.job;

import dev.strata.StrataException;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.KafkaTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before the job starts, output topics it could not write correctly: failures a
 * restart cannot heal, which a running job would only discover record by record.
 * <ul>
 *   <li>exact mode needs a compacted output topic: its changelog is the selection only once
 *       compaction has applied the tombstones, and on a delete-policy topic evicted items stay
 *       (or whole segments of live ones expire);</li>
 *   <li>a topic whose {@code max.message.bytes} is below the job's record size limit would
 *       refuse a record the job lets through, fail the sink, and fail it again after every
 *       restart;</li>
 *   <li>a compacted dead-letter topic would refuse every dead letter without a key (the broker
 *       takes no keyless record on a compacted topic: the same endless failure), and keep only
 *       the last of the letters that share one.</li>
 * </ul>
 */
final class SinkTopics {
    private static final Logger LOG = LoggerFactory.getLogger(SinkTopics.class);

    private SinkTopics() {}

    static void check(
            KafkaConnection kafka, String outputTopic, String deadLetterTopic, EmitMode mode, int maxRecordBytes) {
        String bootstrapServers = kafka.bootstrapServers();
        Admin admin = KafkaTopics.admin(kafka);
        try {
            Config output = KafkaTopics.config(admin, bootstrapServers, outputTopic);
            if (mode == EmitMode.EXACT) {
                if (output == null) {
                    throw new StrataException("output topic '" + outputTopic + "' does not exist; exact mode needs it "
                            + "compacted: kafka-topics.sh --bootstrap-server " + bootstrapServers + " --create --topic "
                            + outputTopic + " --config cleanup.policy=compact");
                }
                if (!KafkaTopics.isCompacted(output)) {
                    throw new StrataException("output topic '" + outputTopic + "' has cleanup.policy="
                            + value(output, TopicConfig.CLEANUP_POLICY_CONFIG) + " but exact mode writes an upsert "
                            + "changelog that needs compaction; fix: kafka-configs.sh --bootstrap-server "
                            + bootstrapServers
                            + " --alter --entity-type topics --entity-name " + outputTopic
                            + " --add-config cleanup.policy=compact (or use --mode admission)");
                }
            }
            requireRoom(output, outputTopic, maxRecordBytes);
            Config dlq = KafkaTopics.config(admin, bootstrapServers, deadLetterTopic);
            if (dlq != null && KafkaTopics.isCompacted(dlq)) {
                throw new StrataException("dead-letter topic '" + deadLetterTopic
                        + "' is compacted, but dead letters may "
                        + "have no key (which a compacted topic refuses) or share one; fix: kafka-configs.sh "
                        + "--bootstrap-server " + bootstrapServers + " --alter --entity-type topics --entity-name "
                        + deadLetterTopic + " --add-config cleanup.policy=delete");
            }
            requireRoom(dlq, deadLetterTopic, maxRecordBytes);
        } catch (StrataException e) {
            if (!(e.getCause() instanceof AuthorizationException)) {
                throw e;
            }
            // a principal without DescribeConfigs rights can still write: the check is a guard, not a gate
            LOG.warn(
                    "cannot check the output topics ({}); make sure '{}' is compacted in exact mode and both topics "
                            + "take records of {} bytes",
                    e.getMessage(),
                    outputTopic,
                    maxRecordBytes);
        } finally {
            KafkaTopics.close(admin);
        }
    }

    /** A missing topic is left to the broker (it may create it on first write). */
    private static void requireRoom(Config topic, String name, int maxRecordBytes) {
        if (topic == null) {
            return;
        }
        String limit = value(topic, TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        long max;
        try {
            max = Long.parseLong(limit);
        } catch (NumberFormatException e) {
            return; // not reported by this broker: nothing to compare
        }
        if (max < maxRecordBytes) {
            throw new StrataException(
                    "topic '" + name + "' takes records up to " + max + " bytes (max.message.bytes) but "
                            + "the job writes records up to " + maxRecordBytes
                            + " bytes (maxRecordBytes); raise max.message.bytes "
                            + "on '" + name + "' to at least " + maxRecordBytes + ", or lower maxRecordBytes");
        }
    }

    private static String value(Config c, String name) {
        ConfigEntry e = c.get(name);
        return e == null || e.value() == null ? "" : e.value();
    }
}
