package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Longest transaction &lt; transaction timeout &lt;= the brokers' transaction.max.timeout.ms. */
class TransactionTimeoutsTest {
    @Test
    void aTransactionWaitsAtMostForTheNextCheckpointToStartAndTimeOut() {
        // a short interval: the next checkpoint waits for a slow one to end, plus the pause
        assertEquals(5_000 + 1_000 + 240_000 + 240_000 - 5_000, TransactionTimeouts.longestTransactionMs(5_000, 240_000));
        // a long interval: the next checkpoint starts an interval after the last one started
        assertEquals(600_000 + 60_000, TransactionTimeouts.longestTransactionMs(600_000, 60_000));
        assertEquals(1, TransactionTimeouts.minPauseMs(1));
        assertEquals(1_000, TransactionTimeouts.minPauseMs(5_000));
    }

    @Test
    void aCheckpointMustCommitBeforeItsTransactionsTimeOut() {
        assertDoesNotThrow(() -> TransactionTimeouts.check(5_000, 240_000, 600_000));
        // Flink's default checkpoint timeout (10 min) with the transaction timeout of before (10 min)
        assertThrows(ConfigProblem.class, () -> TransactionTimeouts.check(5_000, 600_000, 600_000));
        // interval + timeout (305 s) is below 600 s, but two slow checkpoints in a row keep a
        // transaction open 601 s
        assertThrows(ConfigProblem.class, () -> TransactionTimeouts.check(5_000, 300_000, 600_000));
        assertThrows(ConfigProblem.class, () -> TransactionTimeouts.check(600_000, 1_000, 600_000));
        assertDoesNotThrow(() -> TransactionTimeouts.check(5_000, 300_000, 601_001));
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
