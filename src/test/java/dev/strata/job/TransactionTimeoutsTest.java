package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** Longest transaction &lt; transaction timeout &lt;= the brokers' transaction.max.timeout.ms. */
class TransactionTimeoutsTest {
    private static final CurateSpec JOB = CurateSpec.of(
            Map.of("kafka.inputTopic", "in", "kafka.outputTopic", "out", "model", "m", "quota.keepFraction", 0.1));

    private static final String CLUSTER = " of the Flink configuration";

    private static Configuration flink(String interval, String timeout, String pause) {
        Map<String, String> m = new HashMap<>();
        m.put("execution.checkpointing.interval", interval);
        if (timeout != null) {
            m.put("execution.checkpointing.timeout", timeout);
        }
        if (pause != null) {
            m.put("execution.checkpointing.min-pause", pause);
        }
        return Configuration.fromMap(m);
    }

    @Test
    void aTransactionWaitsAtMostForTheNextCheckpointToStartAndTimeOut() {
        // a short interval: the next checkpoint waits for a slow one to end, plus the pause
        assertEquals(
                5_000 + 1_000 + 240_000 + 240_000 - 5_000,
                TransactionTimeouts.longestTransactionMs(5_000, 240_000, 1_000));
        // a long interval: the next checkpoint starts an interval after the last one started
        assertEquals(600_000 + 60_000, TransactionTimeouts.longestTransactionMs(600_000, 60_000, 1_000));
    }

    @Test
    void aCheckpointMustCommitBeforeItsTransactionsTimeOut() {
        assertDoesNotThrow(() -> TransactionTimeouts.check(flink("5 s", "240 s", "1 s"), JOB, CLUSTER));
        // interval + timeout (305 s) is below 600 s, but two slow checkpoints in a row keep a
        // transaction open 601 s
        assertThrows(ConfigProblem.class, () -> TransactionTimeouts.check(flink("5 s", "300 s", "1 s"), JOB, CLUSTER));
        assertThrows(ConfigProblem.class, () -> TransactionTimeouts.check(flink("600 s", "1 s", "1 s"), JOB, CLUSTER));
        assertDoesNotThrow(() -> TransactionTimeouts.check(
                flink("5 s", "300 s", "1 s"), JOB.with(Map.of("kafka.transactionTimeoutMs", 601_001)), CLUSTER));
    }

    /** The rule holds for the values the job runs with, and names where the breaking one was set. */
    @Test
    void theEffectiveValuesAreCheckedAndNamedWhereTheyCameFrom() {
        // the cluster sets no timeout: Flink's default (10 min) with the sinks' 10 min transactions
        ConfigProblem fromFlink = assertThrows(
                ConfigProblem.class, () -> TransactionTimeouts.check(flink("5 s", null, null), JOB, CLUSTER));
        String m = fromFlink.render(k -> k);
        assertTrue(m.contains("timeout 600000 ms (Flink's default, execution.checkpointing.timeout)"), m);
        assertTrue(m.contains("interval 5000 ms (execution.checkpointing.interval of the Flink configuration)"), m);
        // the job file's timeout wins over the cluster's and is named by its key
        CurateSpec longTimeout = JOB.with(Map.of("checkpointing.timeoutMs", 600_000L));
        Configuration effective = flink("5 s", "600000 ms", "1 s");
        String k = assertThrows(ConfigProblem.class, () -> TransactionTimeouts.check(effective, longTimeout, CLUSTER))
                .render(key -> "<" + key + ">");
        assertTrue(k.contains("timeout 600000 ms (<checkpointing.timeoutMs>)") && k.contains("up to 1201000 ms"), k);
        assertTrue(k.contains("must stay below <kafka.transactionTimeoutMs> (600000)"), k);
    }

    @Test
    void withoutCheckpointsTheJobIsRefused() {
        dev.strata.StrataException e = assertThrows(
                dev.strata.StrataException.class, () -> TransactionTimeouts.check(new Configuration(), JOB, CLUSTER));
        assertTrue(e.getMessage().startsWith("checkpointing is off"), e.getMessage());
    }

    @Test
    void theBrokersLimitIsInclusive() {
        assertDoesNotThrow(() -> TransactionTimeouts.checkBroker(900_000, 900_000, "b:9092"));
        ConfigProblem p =
                assertThrows(ConfigProblem.class, () -> TransactionTimeouts.checkBroker(900_001, 900_000, "b:9092"));
        String flags = p.render(k -> k.equals("kafka.transactionTimeoutMs") ? "--transaction-timeout-ms" : k);
        assertTrue(
                flags.startsWith("--transaction-timeout-ms (900001) is above transaction.max.timeout.ms (900000) of "
                        + "the brokers at b:9092"),
                flags);
    }
}
