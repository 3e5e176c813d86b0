package dev.strata.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The sinks' Kafka transactions must outlive the checkpoints that commit them. A sink opens a
 * transaction when one checkpoint's barrier passes it and commits it when the next checkpoint
 * completes. The next checkpoint starts an interval after the first started, or, when the first
 * ran longer, a minimum pause after it completed; it then takes at most the checkpoint timeout.
 * So a transaction stays open up to max(interval, timeout + pause) + timeout, which for a short
 * interval is about twice the timeout, not interval + timeout. A broker aborts any transaction
 * older than the producer's transaction.timeout.ms; the committer then finds it gone, drops its
 * records and the quotas stay spent. And a broker refuses a producer whose transaction.timeout.ms
 * exceeds its own transaction.max.timeout.ms. Hence longest transaction &lt; transaction timeout
 * &lt;= broker maximum, checked before a job starts against the settings it runs with.
 */
public final class TransactionTimeouts {
    static final String BROKER_MAX = "transaction.max.timeout.ms";

    private TransactionTimeouts() {}

    /** The longest a sink's transaction stays open before a checkpoint commits it. */
    static long longestTransactionMs(long intervalMs, long checkpointTimeoutMs, long minPauseMs) {
        return Math.max(intervalMs, checkpointTimeoutMs + minPauseMs) + checkpointTimeoutMs;
    }

    /**
     * Checks the rule against the checkpoint settings the job runs with: the job file's where it
     * sets them, the Flink configuration's (or Flink's defaults) elsewhere. Each value is named
     * where it came from, so the message says which setting to change.
     *
     * @param effective the Flink configuration with the job's own settings applied
     * @param whose     what follows the key of a value from that configuration: " of the Flink
     *                  configuration" on a cluster, ", the local default" for the local commands
     * @throws ConfigProblem when a checkpoint could still be pending when its transactions time out
     */
    static void check(ReadableConfig effective, CurateSpec spec, String whose) {
        FlinkSettings.requireCheckpointing(effective);
        long interval =
                effective.get(CheckpointingOptions.CHECKPOINTING_INTERVAL).toMillis();
        long timeout = effective.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT).toMillis();
        long pause = effective
                .get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS)
                .toMillis();
        long tx = spec.kafka().transactionTimeoutMs();
        long longest = longestTransactionMs(interval, timeout, pause);
        if (longest < tx) {
            return;
        }
        String timeoutName = name(
                spec.checkpointing().timeoutMs() != null,
                "checkpointing.timeoutMs",
                CheckpointingOptions.CHECKPOINTING_TIMEOUT,
                effective,
                whose);
        throw new ConfigProblem(
                null,
                "the checkpoint interval " + interval + " ms ("
                        + name(
                                spec.checkpointing().intervalMs() != null,
                                "checkpointing.intervalMs",
                                CheckpointingOptions.CHECKPOINTING_INTERVAL,
                                effective,
                                whose)
                        + "), timeout " + timeout + " ms (" + timeoutName + ") and pause " + pause + " ms ("
                        + name(false, null, CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, effective, whose)
                        + ") let a sink transaction stay open up to "
                        + longest
                        + " ms (the next checkpoint starts up to max(interval, timeout + pause) after one and may take "
                        + "the timeout), which must stay below {kafka.transactionTimeoutMs} (" + tx
                        + "): the broker would abort "
                        + "the transaction before its checkpoint commits it, and its curated records would be lost; lower the "
                        + "checkpoint timeout (" + timeoutName + ") or raise {kafka.transactionTimeoutMs}");
    }

    /** Where a checkpoint setting came from: the job file's key, the Flink configuration's key, or Flink's default. */
    private static String name(
            boolean setByJob, String jobKey, ConfigOption<?> option, ReadableConfig effective, String whose) {
        if (setByJob) {
            return "{" + jobKey + "}";
        }
        return effective.getOptional(option).isPresent() ? option.key() + whose : "Flink's default, " + option.key();
    }

    /** @throws ConfigProblem when the brokers would refuse the sinks' transaction timeout */
    static void checkBroker(long transactionTimeoutMs, long brokerMaxMs, String bootstrapServers) {
        if (transactionTimeoutMs > brokerMaxMs) {
            throw new ConfigProblem(
                    null,
                    "{kafka.transactionTimeoutMs} (" + transactionTimeoutMs + ") is above "
                            + BROKER_MAX + " (" + brokerMaxMs + ") of the brokers at " + bootstrapServers
                            + ", which refuse longer transactions; lower {kafka.transactionTimeoutMs} or raise the brokers' "
                            + BROKER_MAX);
        }
    }

    /**
     * Checks the spec's transaction timeout against the brokers' limit.
     *
     * @return the limit read, or empty when the brokers did not tell (unreachable, or describing
     *         broker configs is not allowed): the sinks then meet the limit when they start
     */
    public static OptionalLong checkBroker(Admin admin, CurateSpec spec, Duration wait) {
        OptionalLong max = brokerMax(admin, wait);
        if (max.isPresent()) {
            checkBroker(
                    spec.kafka().transactionTimeoutMs(),
                    max.getAsLong(),
                    spec.kafka().bootstrapServers());
        }
        return max;
    }

    /** The smallest transaction.max.timeout.ms of the cluster's brokers: any of them may coordinate a transaction. */
    static OptionalLong brokerMax(Admin admin, Duration wait) {
        try {
            List<ConfigResource> brokers = new ArrayList<>();
            for (Node n : admin.describeCluster().nodes().get(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                brokers.add(new ConfigResource(ConfigResource.Type.BROKER, n.idString()));
            }
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(brokers).all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            OptionalLong min = OptionalLong.empty();
            for (Config c : configs.values()) {
                ConfigEntry e = c.get(BROKER_MAX);
                if (e != null && e.value() != null) {
                    long v = Long.parseLong(e.value());
                    min = OptionalLong.of(min.isPresent() ? Math.min(min.getAsLong(), v) : v);
                }
            }
            return min;
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }
}
