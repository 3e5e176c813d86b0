package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.model.LevelStats;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The balance monitor in Flink's test harness: its gauges are computed from keyed state, so after
 * a restore they continue from the checkpoint's counts (with the next delta), not from zero.
 */
class BalanceMonitorHarnessTest {
    private static final int TOPS = 4;

    private static KeyedOneInputStreamOperatorTestHarness<Integer, TopDelta, Void> harness(HarnessMetrics metrics)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new BalanceMonitor(TOPS)), d -> 0, Types.INT, metrics.environment());
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<Integer, TopDelta, Void> h, int top, int delta, int times)
            throws Exception {
        for (int i = 0; i < times; i++) {
            h.processElement(new TopDelta(top, delta), 0);
        }
    }

    @Test
    void gaugesContinueFromTheRestoredCountsNotFromZero() throws Exception {
        OperatorSubtaskState snapshot;
        try (HarnessMetrics metrics = new HarnessMetrics();
                var h = harness(metrics)) {
            h.open();
            send(h, 0, 1, 6);
            send(h, 1, 1, 3);
            send(h, 2, 1, 2);
            send(h, 0, -1, 2); // exact mode's evictions
            assertEquals(9L, metrics.gauge("acceptedTotal"));
            assertEquals(3, metrics.gauge("topClustersWithItems"));
            snapshot = h.snapshot(1, 1);
            // after the checkpoint and lost with the task: replayed after the restore
            send(h, 3, 1, 5);
        }
        try (HarnessMetrics metrics = new HarnessMetrics();
                var h = harness(metrics)) {
            h.initializeState(snapshot);
            h.open();
            send(h, 3, 1, 1);
            assertEquals(10L, metrics.gauge("acceptedTotal"), "restored 9 plus the new item");
            assertEquals(4, metrics.gauge("topClustersWithItems"));
            assertEquals(
                    LevelStats.normalizedEntropy(new long[] {4, 3, 2, 1}),
                    (Double) metrics.gauge("acceptedEntropy"),
                    1e-12);
        }
    }
}
