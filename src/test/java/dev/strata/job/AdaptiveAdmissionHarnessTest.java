package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.sampling.LeafStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive admission's operators in Flink's test harnesses: the counters, the broadcast plan, the
 * planner's arrival counts and the cap's count survive a snapshot and restore, and the caps hold
 * when input after the snapshot is replayed.
 */
class AdaptiveAdmissionHarnessTest {
    @TempDir
    static Path dir;

    static JobFixture fx;
    static CurateConfig cfg;

    @BeforeAll
    static void fixture() {
        fx = new JobFixture(dir, 2000, 8, 5);
        cfg = fx.config(
                "unused:9092", "in", "out", "in.dlq", EmitMode.ADMISSION, LeafStrategy.RANDOM, fx.n / 4, fx.n, true);
    }

    private static KeyedBroadcastOperatorTestHarness<Integer, AssignedItem, TopPlan, AdmittedItem> admission()
            throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new AdaptiveAdmissionOperator(new AdaptiveAdmissionFunction(cfg)),
                item -> item.top,
                Types.INT,
                1,
                1,
                0);
    }

    /**
     * Rows [from, to) as items of a stream whose first half of top clusters receive only one row in
     * four (drift), with a plan from the arrivals after every 100th row, as the planner would send.
     */
    private static void feed(
            KeyedBroadcastOperatorTestHarness<Integer, AssignedItem, TopPlan, AdmittedItem> h,
            TopPlanner planner,
            long[] seen,
            int from,
            int to)
            throws Exception {
        int tops = fx.tree.top().clusters();
        for (int i = from; i < to; i++) {
            int leaf = fx.leaves.leaf()[i];
            int top = fx.tree.pathOf(leaf)[fx.tree.depth() - 1];
            if (top < tops / 2 && i % 4 != 0) {
                continue;
            }
            h.processElement(
                    new AssignedItem(Integer.toString(i), leaf, top, fx.leaves.distanceSq()[i], null), i);
            seen[top]++;
            if (i % 100 == 99) {
                h.processBroadcastElement(planner.plan(seen.clone(), 0), i);
            }
        }
    }

    private static List<String> ids(ConcurrentLinkedQueue<Object> output) {
        List<String> out = new ArrayList<>();
        for (Object o : output) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof AdmittedItem a) {
                out.add(a.event.id);
            }
        }
        return out;
    }

    @Test
    void aRestoredRunDecidesAsAnUninterruptedOneWithThePlanItHadAtTheSnapshot() throws Exception {
        TopPlanner planner = new TopPlanner(fx.tree, cfg.quotas(fx.tree), cfg.seed());
        int tops = fx.tree.top().clusters();
        List<String> uninterrupted;
        try (var h = admission()) {
            h.open();
            feed(h, planner, new long[tops], 0, fx.n);
            uninterrupted = ids(h.getOutput());
        }
        long[] seen = new long[tops];
        List<String> restored;
        OperatorSubtaskState snapshot;
        try (var h = admission()) {
            h.open();
            feed(h, planner, seen, 0, fx.n / 2);
            restored = new ArrayList<>(ids(h.getOutput()));
            // as the task does before the barrier: the heap's counters go into keyed state
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            // processed after the snapshot, lost with the task
            feed(h, planner, seen.clone(), fx.n / 2, fx.n / 2 + 100);
        }
        try (var h = admission()) {
            h.initializeState(snapshot);
            h.open();
            // no plan is sent again before the next 100 rows: the first decisions use the restored one
            feed(h, planner, seen, fx.n / 2, fx.n);
            restored.addAll(ids(h.getOutput()));
        }
        assertTrue(uninterrupted.size() > fx.n / 10, "a real sample: " + uninterrupted.size());
        assertEquals(uninterrupted, restored);
    }

    /**
     * V told twice the stream: admission paces for arrivals that never come, and the top-up at the
     * end of both inputs fills the target from the leaves' reserves. The reserves are keyed state:
     * a run restored from a snapshot taken mid-stream tops up exactly as an uninterrupted one.
     */
    @Test
    void theReservesSurviveARestoreAndTopUpTheTargetAtTheEndOfBothInputs() throws Exception {
        CurateConfig told2x = fx.config(
                "unused:9092",
                "in",
                "out",
                "in.dlq",
                EmitMode.ADMISSION,
                LeafStrategy.RANDOM,
                fx.n / 20,
                2L * fx.n,
                true);
        TopPlanner planner = new TopPlanner(fx.tree, told2x.quotas(fx.tree), told2x.seed());
        int tops = fx.tree.top().clusters();
        long[] all = new long[tops];
        List<String> uninterrupted;
        int paced;
        try (var h = topUpHarness(told2x)) {
            h.open();
            feed(h, planner, all, 0, fx.n);
            paced = ids(h.getOutput()).size();
            endOfInput(h, planner.plan(all, 0));
            uninterrupted = ids(h.getOutput());
        }
        long target = fx.n / 20;
        assertTrue(paced < 0.8 * target, "paced for twice the stream: " + paced + " of " + target);
        assertTrue(uninterrupted.size() >= 0.98 * target, "topped up: " + uninterrupted.size() + " of " + target);
        assertEquals(uninterrupted.size(), new java.util.HashSet<>(uninterrupted).size(), "no item twice");

        long[] seen = new long[tops];
        List<String> restored;
        OperatorSubtaskState snapshot;
        try (var h = topUpHarness(told2x)) {
            h.open();
            feed(h, planner, seen, 0, fx.n / 2);
            restored = new ArrayList<>(ids(h.getOutput()));
            // as the task does before the barrier: the heap's counters go into keyed state
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            feed(h, planner, seen.clone(), fx.n / 2, fx.n / 2 + 100);
        }
        try (var h = topUpHarness(told2x)) {
            h.initializeState(snapshot);
            h.open();
            feed(h, planner, seen, fx.n / 2, fx.n);
            endOfInput(h, planner.plan(seen, 0));
            restored.addAll(ids(h.getOutput()));
        }
        assertEquals(uninterrupted, restored);
    }

    /**
     * Budgets per window: the counters and reserves of every (window, top cluster), the plans per
     * window and the watermark are in the snapshot. A run restored from a snapshot taken in the
     * middle of the first window, with input after the snapshot replayed, curates and tops up each
     * window exactly as an uninterrupted run.
     */
    @Test
    void aWindowedRunRestoredMidWindowDecidesAndTopsUpAsAnUninterruptedOne() throws Exception {
        CurateConfig windowed = WindowedAdmissionHarnessTest.windowed(fx, fx.n / 40, (long) fx.n);
        long end0 = WindowedAdmissionHarnessTest.BASE + WindowedAdmissionHarnessTest.HOUR - 1;
        int closeAt = fx.n / 2 + fx.n / 10;
        List<String> uninterrupted;
        try (var h = WindowedAdmissionHarnessTest.admission(windowed)) {
            h.open();
            java.util.Map<Long, long[]> seen = new java.util.HashMap<>();
            WindowedAdmissionHarnessTest.feed(h, fx, windowed, seen, 0, closeAt);
            WindowedAdmissionHarnessTest.watermark(h, end0);
            WindowedAdmissionHarnessTest.feed(h, fx, windowed, seen, closeAt, fx.n);
            WindowedAdmissionHarnessTest.watermark(h, Long.MAX_VALUE);
            uninterrupted = ids(h.getOutput());
        }
        java.util.Map<Long, long[]> seen = new java.util.HashMap<>();
        List<String> restored;
        OperatorSubtaskState snapshot;
        try (var h = WindowedAdmissionHarnessTest.admission(windowed)) {
            h.open();
            WindowedAdmissionHarnessTest.feed(h, fx, windowed, seen, 0, fx.n / 4);
            restored = new ArrayList<>(ids(h.getOutput()));
            // as the task does before the barrier: the heap's counters go into keyed state
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
            // processed after the snapshot, lost with the task
            WindowedAdmissionHarnessTest.feed(h, fx, windowed, copy(seen), fx.n / 4, fx.n / 4 + 100);
        }
        try (var h = WindowedAdmissionHarnessTest.admission(windowed)) {
            h.initializeState(snapshot);
            h.open();
            WindowedAdmissionHarnessTest.feed(h, fx, windowed, seen, fx.n / 4, closeAt);
            WindowedAdmissionHarnessTest.watermark(h, end0);
            WindowedAdmissionHarnessTest.feed(h, fx, windowed, seen, closeAt, fx.n);
            WindowedAdmissionHarnessTest.watermark(h, Long.MAX_VALUE);
            restored.addAll(ids(h.getOutput()));
        }
        assertTrue(uninterrupted.size() >= 2 * 0.98 * (fx.n / 40), "two windows' targets: " + uninterrupted.size());
        assertEquals(uninterrupted, restored);
    }

    private static java.util.Map<Long, long[]> copy(java.util.Map<Long, long[]> m) {
        java.util.Map<Long, long[]> c = new java.util.HashMap<>();
        m.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }

    private static KeyedBroadcastOperatorTestHarness<Integer, AssignedItem, TopPlan, AdmittedItem> topUpHarness(
            CurateConfig c) throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new AdaptiveAdmissionOperator(new AdaptiveAdmissionFunction(c)), item -> item.top, Types.INT, 1, 1, 0);
    }

    /** The last plan (the counters flush at the end of their input), then the end of both inputs. */
    private static void endOfInput(
            KeyedBroadcastOperatorTestHarness<Integer, AssignedItem, TopPlan, AdmittedItem> h, TopPlan last)
            throws Exception {
        h.processBroadcastElement(last, Long.MAX_VALUE);
        int paced = ids(h.getOutput()).size();
        AdaptiveAdmissionOperator op = (AdaptiveAdmissionOperator) h.getTwoInputOperator();
        op.endInput(1);
        assertEquals(paced, ids(h.getOutput()).size(), "nothing is topped up before both inputs end");
        op.endInput(2);
    }

    @Test
    void theCapLetsThroughAtMostTheTargetAcrossARestoreAndAReplay() throws Exception {
        OperatorSubtaskState snapshot;
        int before;
        try (var h = cap(10)) {
            h.open();
            for (int i = 0; i < 6; i++) {
                h.processElement(admitted(i), i);
            }
            before = h.extractOutputValues().size();
            snapshot = h.snapshot(1, 1);
            for (int i = 6; i < 16; i++) {
                h.processElement(admitted(i), i);
            }
        }
        try (var h = cap(10)) {
            h.initializeState(snapshot);
            h.open();
            for (int i = 6; i < 26; i++) {
                h.processElement(admitted(i), i);
            }
            assertEquals(6, before);
            assertEquals(4, h.extractOutputValues().size());
            assertEquals(4, h.getSideOutput(AdmissionFunction.SELECTION_CHANGES).size());
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, AdmittedItem, CuratedEvent> cap(long target)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TargetCap(target)), a -> 0, Types.INT);
    }

    private static AdmittedItem admitted(int i) {
        return new AdmittedItem(i % 3, new CuratedEvent(Integer.toString(i), new byte[] {1}));
    }

    @Test
    void thePlannerKeepsItsArrivalCountsAcrossARestore() throws Exception {
        int tops = fx.tree.top().clusters();
        OperatorSubtaskState snapshot;
        try (var h = planner()) {
            h.open();
            h.processElement(new TopCounts(ones(tops, 3)), 0);
            snapshot = h.snapshot(1, 1);
            h.processElement(new TopCounts(ones(tops, 50)), 1);
        }
        try (var h = planner()) {
            h.initializeState(snapshot);
            h.open();
            h.processElement(new TopCounts(ones(tops, 2)), 1);
            List<TopPlan> plans = h.extractOutputValues();
            assertEquals(1, plans.size());
            assertEquals(5L * tops, plans.get(0).seen);
            TopPlan expected = new TopPlanner(fx.tree, cfg.quotas(fx.tree), cfg.seed()).plan(ones(tops, 5), 0);
            assertArrayEquals(expected.budgets, plans.get(0).budgets);
        }
    }

    /**
     * The planner's drift gauges (the dashboard's view of issue 12's "see drift"): arrivals in the
     * pool's proportions at the pool's distance read as no drift; the same number of arrivals all in
     * one top cluster, three times as far from their leaves, read as a stream the model no longer
     * describes.
     */
    @Test
    void thePlannersDriftGaugesTellAStreamLikeThePoolFromOneThatMoved() throws Exception {
        long[] pool = fx.tree.top().size();
        long items = 0;
        for (long p : pool) {
            items += p;
        }
        double poolDistance = fx.tree.poolLeafDistanceSq();
        try (HarnessMetrics metrics = new HarnessMetrics();
                var h = new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new QuotaPlanner(cfg)), c -> 0, Types.INT, metrics.environment())) {
            h.open();
            h.processElement(new TopCounts(pool.clone(), poolDistance * items), 0);
            assertEquals(0.0, (double) metrics.gauge("arrivalShareDivergence"), 1e-9);
            assertEquals(1.0, (double) metrics.gauge("leafDistanceRatio"), 1e-6);
            assertEquals(0, ((Number) metrics.gauge("rebuildRecommended")).intValue());
        }
        try (HarnessMetrics metrics = new HarnessMetrics();
                var h = new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new QuotaPlanner(cfg)), c -> 0, Types.INT, metrics.environment())) {
            h.open();
            long[] moved = new long[pool.length];
            moved[0] = items;
            h.processElement(new TopCounts(moved, 3 * poolDistance * items), 0);
            double expected = 1 - (double) pool[0] / items;
            assertEquals(expected, (double) metrics.gauge("arrivalShareDivergence"), 1e-9);
            assertEquals(3.0, (double) metrics.gauge("leafDistanceRatio"), 1e-6);
            assertEquals(1, ((Number) metrics.gauge("rebuildRecommended")).intValue());
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, TopCounts, TopPlan> planner() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new QuotaPlanner(cfg)), c -> 0, Types.INT);
    }

    private static long[] ones(int n, long v) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void theArrivalCounterSendsWhatItCountedBeforeEveryBarrier() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(new ArrivalCounter(3, 1000))) {
            h.open();
            for (int i = 0; i < 5; i++) {
                h.processElement(new AssignedItem("x" + i, 0, i % 3, 0, null), i);
            }
            assertTrue(h.extractOutputValues().isEmpty(), "below its flush size it holds the counts");
            h.prepareSnapshotPreBarrier(1);
            List<TopCounts> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertArrayEquals(new long[] {2, 2, 1}, out.get(0).counts);
        }
    }
}
