package dev.strata.kafka;

import dev.strata.StrataException;
import dev.strata.progress.Progress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group has committed through a topic. The curation job's source commits
 * its offsets when a checkpoint completes, the same moment its sinks commit their transactions:
 * a group at the end offsets means everything read so far is curated and visible.
 */
public final class GroupProgress {
    private GroupProgress() {}

    /** Sum of the topic's end offsets now. */
    public static long endOffsets(Admin admin, String bootstrap, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = partitions(admin, bootstrap, topic).stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        long end = 0;
        for (var e : admin.listOffsets(latest).all().get().values()) {
            end += e.offset();
        }
        return end;
    }

    /** Sum of the group's committed offsets on the topic. */
    public static long committed(Admin admin, String group, List<TopicPartition> tps) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        long done = 0;
        for (TopicPartition tp : tps) {
            OffsetAndMetadata m = committed.get(tp);
            done += m == null ? 0 : m.offset();
        }
        return done;
    }

    /** The group's committed offset per partition of the topic; partitions without one are absent. */
    public static Map<Integer, Long> committedOffsets(KafkaConnection kafka, String group, String topic) {
        Admin admin = KafkaTopics.admin(kafka);
        try {
            List<TopicPartition> tps = partitions(admin, kafka.toString(), topic);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            Map<Integer, Long> out = new java.util.TreeMap<>();
            for (TopicPartition tp : tps) {
                OffsetAndMetadata m = committed.get(tp);
                if (m != null) {
                    out.put(tp.partition(), m.offset());
                }
            }
            return out;
        } catch (StrataException e) {
            throw e;
        } catch (Exception e) {
            throw new StrataException(
                    "cannot read the offsets of consumer group '" + group + "': " + e.getMessage(), e);
        } finally {
            KafkaTopics.close(admin);
        }
    }

    /**
     * Refuses to start a job afresh where a run of it already consumed: its quota counters live in
     * that run's checkpoints or savepoints, and a fresh start would count every leaf from zero again
     * and overrun the quotas (and curate the same input a second time). Two traces of an earlier
     * run: the group's committed offsets on the topic, and the transactional ids of its sinks
     * ({@code transactionalIdPrefix}, derived from the group and the output topic unless set), which
     * a run stopped with a savepoint before its first checkpoint leaves without any offsets
     * ({@link SinkTransactions}).
     */
    public static void refuseResumedGroup(
            KafkaConnection kafka, String group, String topic, String transactionalIdPrefix) {
        String bootstrap = kafka.toString();
        Admin admin = KafkaTopics.admin(kafka);
        String ways = "resume with --from-savepoint PATH (a savepoint, or a retained checkpoint "
                + "<checkpoint dir>/<job id>/chk-N), curate afresh with a new group id, or continue the run under "
                + "a new model with a carry-over (quota.carryOver)";
        try {
            long done = committed(admin, group, partitions(admin, bootstrap, topic));
            if (done > 0) {
                throw new StrataException("consumer group '" + group + "' already consumed " + done + " records of '"
                        + topic + "' and its quotas live in that run's checkpoints; " + ways);
            }
            List<String> sinks = SinkTransactions.of(admin, transactionalIdPrefix);
            if (!sinks.isEmpty()) {
                throw new StrataException("a run on consumer group '" + group + "' already wrote through its sinks ("
                        + "transactional ids " + String.join(", ", sinks) + (sinks.size() == 3 ? ", ..." : "")
                        + ") without committing offsets of '" + topic + "' (stopped with a savepoint before its "
                        + "first checkpoint), and its quotas live in that savepoint; " + ways);
            }
        } catch (StrataException e) {
            throw e;
        } catch (Exception e) {
            throw new StrataException(
                    "cannot read the offsets of consumer group '" + group + "': " + e.getMessage(), e);
        } finally {
            KafkaTopics.close(admin);
        }
    }

    /** Waits until the group has committed the topic's current end offsets. */
    public static void awaitCaughtUp(String bootstrap, String group, String topic, Duration timeout, Progress progress)
            throws Exception {
        awaitCaughtUp(KafkaConnection.plain(bootstrap), group, topic, timeout, progress);
    }

    public static void awaitCaughtUp(
            KafkaConnection kafka, String group, String topic, Duration timeout, Progress progress) throws Exception {
        String bootstrap = kafka.toString();
        Admin admin = KafkaTopics.admin(kafka);
        try {
            List<TopicPartition> tps = partitions(admin, bootstrap, topic);
            long end = endOffsets(admin, bootstrap, topic);
            progress.start("consumer group " + group + " catching up", end, "records");
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long done;
                try {
                    done = committed(admin, group, tps);
                } catch (ExecutionException e) {
                    done = -1; // broker briefly away (restarts): keep waiting
                }
                if (done >= 0) {
                    progress.update(done);
                }
                if (done >= end) {
                    progress.finish();
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new StrataException("consumer group " + group + " did not reach the end of " + topic
                            + " within " + timeout.toSeconds() + " s (" + Math.max(done, 0) + " of " + end + ")");
                }
                Thread.sleep(500);
            }
        } finally {
            KafkaTopics.close(admin);
        }
    }

    private static List<TopicPartition> partitions(Admin admin, String bootstrap, String topic) {
        return KafkaTopics.describe(admin, bootstrap, topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .collect(Collectors.toList());
    }
}
