package dev.strata.cli;

import dev.strata.job.CurateSpec;
import dev.strata.job.EmitMode;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.KafkaTopics;
import dev.strata.records.RecordSize;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates topics through the admin API, where brokers keep auto-creation off: what is not given
 * (partitions, replication factor, configs) is left to the brokers' defaults (num.partitions,
 * default.replication.factor), and the cluster's create-topic policy and limits decide, with the
 * broker's refusal said in one line. Topics that exist are left as they are.
 */
final class TopicCreation {
    private TopicCreation() {}

    /** A topic with the brokers' default partitions and replication factor. */
    static NewTopic brokerDefaults(String name) {
        return new NewTopic(name, Optional.empty(), Optional.empty());
    }

    /**
     * The three topics of a curate job: the input; the curated output, compacted in exact mode
     * (an upsert changelog with tombstones); the dead letters, never compacted (letters may have
     * no key). Both sinks' topics take the job's largest record when it is above Kafka's default.
     */
    static List<NewTopic> forJob(CurateSpec job) {
        Map<String, String> sized = new LinkedHashMap<>();
        if (job.kafka().maxRecordBytes() > RecordSize.DEFAULT_MAX_RECORD_BYTES) {
            sized.put(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(job.kafka().maxRecordBytes()));
        }
        Map<String, String> output = new LinkedHashMap<>(sized);
        if (job.mode() == EmitMode.EXACT) {
            output.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        Map<String, String> dlq = new LinkedHashMap<>(sized);
        dlq.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        return List.of(
                brokerDefaults(job.kafka().inputTopic()),
                brokerDefaults(job.kafka().outputTopic()).configs(output),
                brokerDefaults(job.kafka().deadLetterTopic()).configs(dlq));
    }

    /** Creates the missing topics and says, per topic, whether it was created or already there. */
    static List<String> create(Admin admin, KafkaConnection kafka, List<NewTopic> topics, PrintWriter out) {
        List<String> created = KafkaTopics.createTopics(admin, kafka.toString(), topics);
        List<String> lines = new ArrayList<>();
        for (NewTopic t : topics) {
            lines.add(
                    created.contains(t.name())
                            ? "created topic " + describe(t)
                            : "topic '" + t.name() + "' exists; left as it is");
        }
        lines.forEach(out::println);
        out.flush();
        return created;
    }

    private static String describe(NewTopic t) {
        String partitions =
                t.numPartitions() > 0 ? t.numPartitions() + " partitions" : "the brokers' default partitions";
        String rf = t.replicationFactor() > 0
                ? "replication factor " + t.replicationFactor()
                : "the brokers' default replication factor";
        String configs = t.configs() == null || t.configs().isEmpty() ? "" : ", " + t.configs();
        return "'" + t.name() + "' (" + partitions + ", " + rf + configs + ")";
    }
}
