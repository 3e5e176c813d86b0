package dev.strata.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The sinks' Kafka transactions must outlive the checkpoints that commit them. A sink opens a
 * transaction when one checkpoint's barrier passes and commits it when the next checkpoint
 * completes: up to an interval plus that checkpoint's duration, which Flink cuts off at the
 * checkpoint timeout. A broker aborts any transaction older than the producer's
 * transaction.timeout.ms; the committer then finds it gone, drops its records and the quotas stay
 * spent. And a broker refuses a producer whose transaction.timeout.ms exceeds its own
 * transaction.max.timeout.ms. Hence interval + checkpoint timeout &lt; transaction timeout &lt;= broker
 * maximum, checked before a job starts.
 */
public final class TransactionTimeouts {
    static final String BROKER_MAX = "transaction.max.timeout.ms";

    private TransactionTimeouts() {
    }

    /** @throws ConfigProblem when a checkpoint could still be pending when its transactions time out */
    static void check(long intervalMs, long checkpointTimeoutMs, long transactionTimeoutMs) {
        if (intervalMs + checkpointTimeoutMs >= transactionTimeoutMs) {
            throw new ConfigProblem(null, "{checkpointing.intervalMs} (" + intervalMs + ") + {checkpointing.timeoutMs} ("
                    + checkpointTimeoutMs + ") must stay below {kafka.transactionTimeoutMs} (" + transactionTimeoutMs
                    + "): the broker would abort a sink transaction before its checkpoint commits it, and its curated "
                    + "records would be lost; lower the checkpoint settings or raise {kafka.transactionTimeoutMs}");
        }
    }

    /** @throws ConfigProblem when the brokers would refuse the sinks' transaction timeout */
    static void checkBroker(long transactionTimeoutMs, long brokerMaxMs, String bootstrapServers) {
        if (transactionTimeoutMs > brokerMaxMs) {
            throw new ConfigProblem(null, "{kafka.transactionTimeoutMs} (" + transactionTimeoutMs + ") is above "
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
            checkBroker(spec.kafka().transactionTimeoutMs(), max.getAsLong(), spec.kafka().bootstrapServers());
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
            Map<ConfigResource, Config> configs = admin.describeConfigs(brokers).all()
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
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
