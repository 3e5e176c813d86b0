package dev.strata.kafka;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The transactional ids the brokers keep for a job's exactly-once sinks: the trace a run leaves
 * even when it committed no source offsets. Flink's Kafka source commits offsets only when a
 * checkpoint completes, and a stop with a savepoint does not commit them (seen on this project's
 * jobs, architecture.md, "A new model in the middle of a run"), so a run stopped with a savepoint
 * before its first checkpoint leaves its group without offsets. Its sinks, though, registered
 * their transactional ids ({@code <prefix>-<sink>-...}) with the transaction coordinator when
 * they opened and committed at the savepoint; the coordinator keeps an id until
 * {@code transactional.id.expiration.ms} (7 days by default) passes without a transaction.
 */
public final class SinkTransactions {
    private SinkTransactions() {}

    /**
     * The transactional ids on the brokers that start with {@code prefix + "-"} (at most a few, for
     * the message). Empty when the brokers cannot list transactions (before Kafka 3.0) or the
     * client may describe none of them (ACLs): this trace is then not available, and only the
     * committed offsets speak.
     */
    public static List<String> of(Admin admin, String prefix) throws InterruptedException, ExecutionException {
        try {
            return admin.listTransactions().all().get().stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(prefix + "-"))
                    .sorted()
                    .limit(3)
                    .toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedVersionException) {
                return List.of();
            }
            throw e;
        }
    }
}
