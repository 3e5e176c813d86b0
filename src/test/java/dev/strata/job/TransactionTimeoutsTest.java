package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** interval + checkpoint timeout &lt; transaction timeout &lt;= the brokers' transaction.max.timeout.ms. */
class TransactionTimeoutsTest {
    @Test
    void aCheckpointMustEndBeforeItsTransactionsTimeOut() {
        assertDoesNotThrow(() -> TransactionTimeouts.check(5_000, 300_000, 600_000));
        assertDoesNotThrow(() -> TransactionTimeouts.check(1, 1, 3));
        // Flink's default checkpoint timeout (10 min) with the old transaction timeout (10 min)
        assertThrows(ConfigProblem.class, () -> TransactionTimeouts.check(5_000, 600_000, 600_000));
        assertThrows(ConfigProblem.class, () -> TransactionTimeouts.check(1, 2, 3));
        assertThrows(ConfigProblem.class, () -> TransactionTimeouts.check(600_000, 1_000, 600_000));
    }

    @Test
    void theBrokersLimitIsInclusive() {
        assertDoesNotThrow(() -> TransactionTimeouts.checkBroker(900_000, 900_000, "b:9092"));
        ConfigProblem p = assertThrows(ConfigProblem.class, () -> TransactionTimeouts.checkBroker(900_001, 900_000, "b:9092"));
        String flags = p.render(k -> k.equals("kafka.transactionTimeoutMs") ? "--transaction-timeout-ms" : k);
        assertTrue(flags.startsWith("--transaction-timeout-ms (900001) is above transaction.max.timeout.ms (900000) of "
                + "the brokers at b:9092"), flags);
    }
}
