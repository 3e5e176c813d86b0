package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.sampling.LeafStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets per window in Flink's test harnesses: admission keyed by (window, top cluster) tops a
 * window up and forgets it when the watermark passes its end, refuses late items, and keeps
 * deciding as an uninterrupted run across a restore; the planner plans each window on its own
 * with V from the arrival rate; the cap holds T per window; the arrival counter sends a window's
 * counts before the watermark that closes it.
 */
class WindowedAdmissionHarnessTest {
    static final long HOUR = 3_600_000L;
    static final long BASE = 1_700_000_000_000L / HOUR * HOUR;

    @TempDir
    static Path dir;

    static JobFixture fx;

    @BeforeAll
    static void fixture() {
        fx = new JobFixture(dir, 2000, 8, 5);
    }

    /** One-hour windows in event time, T per window, V as given (null: from the arrival rate). */
    static CurateConfig windowed(JobFixture fx, long target, Long volume) {
        Map<String, Object> s = new HashMap<>(Map.of(
                "kafka.inputTopic",
                "in",
                "kafka.outputTopic",
                "out",
                "model",
                fx.modelPath.toString(),
                "quota.target",
                target,
                "quota.window",
                "1h",
                "strategy",
                LeafStrategy.RANDOM,
                "bounded",
                true));
        if (volume != null) {
            s.put("quota.expectedVolume", volume);
        }
        return CurateConfig.of(CurateSpec.of(s)).withModel(fx.tree.version(), fx.dim);
    }

    static KeyedBroadcastOperatorTestHarness<Long, AssignedItem, TopPlan, AdmittedItem> admission(CurateConfig c)
            throws Exception {
        QuotaWindows w = c.windows();
        return new KeyedBroadcastOperatorTestHarness<>(
                new WindowedAdmissionOperator(new WindowedAdmissionFunction(c)),
                item -> w.key(w.start(item.timestamp), item.top),
                Types.LONG,
                1,
                1,
                0);
    }

    /** Row i's timestamp: the first half of the rows spread over window 0, the second half over window 1. */
    static long timestamp(JobFixture fx, int i) {
        int half = fx.n / 2;
        return BASE + (i / half) * HOUR + (i % half) * (HOUR / half);
    }

    /**
     * Rows [from, to) as items, with a plan per window from that window's arrivals after every
     * 100th row, as the planner would send; {@code seen} holds the arrivals per window start.
     */
    static void feed(
            KeyedBroadcastOperatorTestHarness<Long, AssignedItem, TopPlan, AdmittedItem> h,
            JobFixture fx,
            CurateConfig c,
            Map<Long, long[]> seen,
            int from,
            int to)
            throws Exception {
        TopPlanner planner = new TopPlanner(fx.tree, c.quotas(fx.tree), c.seed());
        int tops = fx.tree.top().clusters();
        for (int i = from; i < to; i++) {
            int leaf = fx.leaves.leaf()[i];
            int top = fx.tree.topOfLeaves()[leaf];
            long ts = timestamp(fx, i);
            long window = c.windows().start(ts);
            h.processElement(
                    new AssignedItem(Integer.toString(i), leaf, top, fx.leaves.distanceSq()[i], null, ts), ts);
            long[] s = seen.computeIfAbsent(window, w -> new long[tops]);
            s[top]++;
            if (i % 100 == 99) {
                TopPlan p = planner.plan(s.clone(), c.quotas(fx.tree).volume(), 0);
                p.window = window;
                h.processBroadcastElement(p, ts);
            }
        }
    }

    /** Ids output so far, per window start, in order. */
    static Map<Long, List<String>> byWindow(
            KeyedBroadcastOperatorTestHarness<Long, AssignedItem, TopPlan, AdmittedItem> h) {
        Map<Long, List<String>> out = new HashMap<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof AdmittedItem a) {
                out.computeIfAbsent(a.window, w -> new ArrayList<>()).add(a.event.id);
            }
        }
        return out;
    }

    /**
     * How many (window, top cluster) keys of window {@code start} hold counters or reserves in
     * keyed state, as a checkpoint would take it (the heap's counters written back first, as the
     * task does before a barrier).
     */
    static long keysOf(KeyedBroadcastOperatorTestHarness<Long, AssignedItem, TopPlan, AdmittedItem> h, long start)
            throws Exception {
        h.prepareSnapshotPreBarrier(0);
        var backend = ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getTwoInputOperator())
                .<Long>getKeyedStateBackend();
        QuotaWindows w = new QuotaWindows(HOUR, WindowTime.EVENT, 0);
        long n = 0;
        for (String state : List.of(SubtreeAdmission.COUNTERS, "leaf-reserves")) {
            try (Stream<Long> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
                n += keys.filter(k -> w.startOfKey(k) == start).count();
            }
        }
        return n;
    }

    @Test
    void aWindowIsToppedUpAndForgottenWhenTheWatermarkPassesItsEndAndItsLateItemsAreNotCurated() throws Exception {
        long target = 50;
        // V told twice what each window gets: the pacing leaves the window short until its close
        CurateConfig c = windowed(fx, target, (long) fx.n);
        long w0 = BASE;
        long w1 = BASE + HOUR;
        try (var h = admission(c)) {
            h.open();
            Map<Long, long[]> seen = new HashMap<>();
            feed(h, fx, c, seen, 0, fx.n / 2 + fx.n / 4);
            int paced = byWindow(h).get(w0).size();
            int paced1 = byWindow(h).getOrDefault(w1, List.of()).size();
            assertTrue(paced < 0.8 * target, "paced for twice the window: " + paced + " of " + target);
            assertTrue(keysOf(h, w0) > 0 && keysOf(h, w1) > 0, "both windows hold state");

            watermark(h, w0 + HOUR - 1);
            List<String> window0 = byWindow(h).get(w0);
            assertTrue(window0.size() >= 0.98 * target, "topped up at the close: " + window0.size() + " of " + target);
            assertEquals(window0.size(), new HashSet<>(window0).size(), "no item twice");
            assertEquals(0, keysOf(h, w0), "the closed window's counters and reserves are gone");
            assertTrue(keysOf(h, w1) > 0, "the open window keeps its state");
            assertEquals(paced1, byWindow(h).getOrDefault(w1, List.of()).size(), "the open window is not topped up");

            // a late item: valid, counted, not curated, and it brings no state back
            WindowedAdmissionFunction f = (WindowedAdmissionFunction)
                    ((CoBroadcastWithKeyedOperator<?, ?, ?, ?>) h.getTwoInputOperator()).getUserFunction();
            int leaf = fx.leaves.leaf()[0];
            h.processElement(new AssignedItem("late", leaf, fx.tree.topOfLeaves()[leaf], 0, null, w0 + 5), w0 + 5);
            assertEquals(1, f.lateItems());
            assertEquals(window0, byWindow(h).get(w0));
            assertEquals(0, keysOf(h, w0));

            // the next plan drops the closed window's plan from the broadcast state
            feed(h, fx, c, seen, fx.n / 2 + fx.n / 4, fx.n / 2 + fx.n / 4 + 100);
            assertEquals(List.of(w1), toList(h.getBroadcastState(WindowedAdmissionFunction.PLANS)));

            // the end of a bounded input (its final watermark) closes every open window
            watermark(h, Long.MAX_VALUE);
            assertTrue(
                    byWindow(h).get(w1).size() >= 0.98 * target,
                    "window 1 topped up: " + byWindow(h).get(w1).size());
            assertEquals(0, keysOf(h, w1));
        }
    }

    /**
     * The function as Flink ships it to a task (serialised and read back): a fresh task has seen no
     * watermark, so an item stamped at the epoch, or with Kafka's -1 for "no timestamp", is in its
     * window, not late.
     */
    @Test
    void aFreshTaskTakesItemsStampedAtOrBeforeTheEpochForOnTime() throws Exception {
        CurateConfig c = windowed(fx, 50, (long) fx.n);
        WindowedAdmissionFunction shipped =
                org.apache.flink.util.InstantiationUtil.clone(new WindowedAdmissionFunction(c));
        QuotaWindows w = c.windows();
        try (var h = new KeyedBroadcastOperatorTestHarness<>(
                new WindowedAdmissionOperator(shipped),
                (AssignedItem item) -> w.key(w.start(item.timestamp), item.top),
                Types.LONG,
                1,
                1,
                0)) {
            h.open();
            int leaf = fx.leaves.leaf()[0];
            h.processElement(new AssignedItem("epoch", leaf, fx.tree.topOfLeaves()[leaf], 0, null, 0), 0);
            h.processElement(new AssignedItem("none", leaf, fx.tree.topOfLeaves()[leaf], 0, null, -1), -1);
            WindowedAdmissionFunction f = (WindowedAdmissionFunction)
                    ((CoBroadcastWithKeyedOperator<?, ?, ?, ?>) h.getTwoInputOperator()).getUserFunction();
            assertEquals(0, f.lateItems(), "no watermark has passed them");
        }
    }

    private static List<Long> toList(org.apache.flink.api.common.state.BroadcastState<Long, TopPlan> s)
            throws Exception {
        List<Long> out = new ArrayList<>();
        s.entries().forEach(e -> out.add(e.getKey()));
        return out;
    }

    /** The same watermark on both inputs, as the job's items and plans both carry it. */
    /**
     * A model swap in the middle of window 1, through the same model: the carried window's counters
     * and first plan come from the carry-over, so the continued run decides the rest of window 1 as
     * the uninterrupted run did; an item of window 0, closed before the swap, is late.
     */
    @Test
    void aRunCarriedOverMidWindowDecidesTheRestOfThatWindowAsIfUninterrupted() throws Exception {
        CurateConfig c = windowed(fx, 50, (long) fx.n / 2);
        int cut = fx.n / 2 + 400; // in window 1, right after a plan (one every 100 rows)
        long w1 = BASE + HOUR;
        List<String> first;
        List<String> second;
        try (var h = admission(c)) {
            h.open();
            Map<Long, long[]> seen = new HashMap<>();
            feed(h, fx, c, seen, 0, cut);
            first = new ArrayList<>(byWindow(h).getOrDefault(w1, List.of()));
            feed(h, fx, c, seen, cut, fx.n);
            List<String> all = byWindow(h).get(w1);
            second = new ArrayList<>(all.subList(first.size(), all.size()));
        }
        // window 1's carry-over as `strata carry-over` writes it, mapped through the same model
        long[] seenLeaf = new long[fx.tree.leaves().clusters()];
        long[] keptLeaf = new long[seenLeaf.length];
        for (int r = fx.n / 2; r < cut; r++) {
            seenLeaf[fx.leaves.leaf()[r]]++;
            if (first.contains(Integer.toString(r))) {
                keptLeaf[fx.leaves.leaf()[r]]++;
            }
        }
        Path f = dir.resolve("carry-window-1.json");
        dev.strata.sampling.CarryOverFile.write(
                new dev.strata.sampling.CarryOver(
                        "old",
                        fx.tree.version(),
                        "in",
                        c.groupId(),
                        List.of(),
                        seenLeaf,
                        keptLeaf,
                        0,
                        0.0,
                        new dev.strata.sampling.CarryOver.Window(
                                HOUR, w1, timestamp(fx, fx.n / 2), timestamp(fx, cut - 1))),
                f);
        CurateConfig continued = new CurateConfig(
                c.spec().with(Map.of("quota.carryOver", f.toString())), c.modelVersion(), c.modelDim());
        List<String> resumed;
        try (var h = admission(continued)) {
            h.open();
            Map<Long, long[]> seen = new HashMap<>();
            seen.put(w1, fx.perTop(seenLeaf));
            feed(h, fx, continued, seen, cut, fx.n);
            resumed = byWindow(h).get(w1);
            WindowedAdmissionFunction fn = (WindowedAdmissionFunction)
                    ((CoBroadcastWithKeyedOperator<?, ?, ?, ?>) h.getTwoInputOperator()).getUserFunction();
            int leaf = fx.leaves.leaf()[0];
            h.processElement(
                    new AssignedItem("of-window-0", leaf, fx.tree.topOfLeaves()[leaf], 0, null, BASE + 5), BASE + 5);
            assertEquals(1, fn.lateItems(), "window 0 closed in the old run");
            assertEquals(null, byWindow(h).get(BASE));
        }
        assertTrue(first.size() > 5 && second.size() > 5, first.size() + " then " + second.size());
        assertEquals(second, resumed);
    }

    static void watermark(KeyedBroadcastOperatorTestHarness<Long, AssignedItem, TopPlan, AdmittedItem> h, long t)
            throws Exception {
        h.processWatermark(new Watermark(t));
        h.processBroadcastWatermark(new Watermark(t));
    }

    /**
     * Flink starts a restored task's watermark from nothing; the watermark that closed a window is
     * in the checkpoint, so an item of that window replayed after the restore is still late.
     */
    @Test
    void aLateItemStaysLateAcrossARestore() throws Exception {
        CurateConfig c = windowed(fx, 50, null);
        OperatorSubtaskState snapshot;
        try (var h = admission(c)) {
            h.open();
            feed(h, fx, c, new HashMap<>(), 0, fx.n / 2 + 10);
            watermark(h, BASE + HOUR - 1);
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
        }
        try (var h = admission(c)) {
            h.initializeState(snapshot);
            h.open();
            int leaf = fx.leaves.leaf()[0];
            h.processElement(new AssignedItem("0", leaf, fx.tree.topOfLeaves()[leaf], 0, null, BASE + 1), BASE + 1);
            WindowedAdmissionFunction f = (WindowedAdmissionFunction)
                    ((CoBroadcastWithKeyedOperator<?, ?, ?, ?>) h.getTwoInputOperator()).getUserFunction();
            assertEquals(1, f.lateItems());
            assertEquals(0, keysOf(h, BASE));
            assertTrue(h.getOutput().isEmpty());
        }
    }

    @Test
    void thePlannerPlansEachWindowOnItsOwnWithVFromTheArrivalRate() throws Exception {
        CurateConfig c = windowed(fx, 50, null);
        int tops = fx.tree.top().clusters();
        TopPlanner planner = new TopPlanner(fx.tree, c.quotas(fx.tree), c.seed());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WindowQuotaPlanner(c)), (TopCounts x) -> 0, Types.INT)) {
            h.open();
            // window 0: 3 per top cluster in its first quarter hour
            h.processElement(counts(tops, 3, BASE, BASE, BASE + HOUR / 4), 0);
            // window 1 (out of order, as event time allows): its own arrivals, its own plan
            h.processElement(counts(tops, 1, BASE + HOUR, BASE + HOUR, BASE + HOUR + 10), 0);
            List<TopPlan> plans = h.extractOutputValues();
            assertEquals(2, plans.size());
            TopPlan p0 = plans.get(0);
            assertEquals(BASE, p0.window);
            long v0 = WindowVolume.estimate(3L * tops, BASE, BASE + HOUR / 4, BASE + HOUR, Double.NaN);
            assertEquals(v0, p0.volume);
            assertTrue(v0 > 3.9 * 3 * tops && v0 < 4.1 * 3 * tops, "a quarter seen, four quarters expected: " + v0);
            assertArrayEquals(planner.plan(ones(tops, 3), v0, 0).budgets, p0.budgets);
            assertEquals(BASE + HOUR, plans.get(1).window);
            assertEquals(tops, plans.get(1).seen);

            // window 0 closes (last items at its end): its rate, 3 x tops an hour, is the next windows' V
            h.processElement(counts(tops, 1, BASE, BASE + HOUR / 2, BASE + HOUR - 1), 0);
            h.processWatermark(new Watermark(BASE + HOUR - 1));
            int before = h.extractOutputValues().size();
            h.processElement(counts(tops, 1, BASE, BASE + 5, BASE + 5), 0);
            assertEquals(before, h.extractOutputValues().size(), "counts of a closed window make no plan");
            h.processElement(counts(tops, 1, BASE + HOUR, BASE + HOUR + HOUR / 2, BASE + HOUR + HOUR / 2), 0);
            List<TopPlan> all = h.extractOutputValues();
            TopPlan p1 = all.get(all.size() - 1);
            double rate = WindowVolume.closedRate(4L * tops, BASE, BASE + HOUR);
            assertEquals(
                    WindowVolume.estimate(2L * tops, BASE + HOUR, BASE + HOUR + HOUR / 2, BASE + 2 * HOUR, rate),
                    p1.volume);
            assertEquals(2L * tops, p1.seen, "window 1 counts its own arrivals only");
        }
    }

    private static TopCounts counts(int tops, long each, long window, long earliest, long latest) {
        TopCounts c = new TopCounts(ones(tops, each));
        c.window = window;
        c.earliest = earliest;
        c.latest = latest;
        return c;
    }

    private static long[] ones(int n, long v) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void theCapLetsThroughTAPerWindowAndForgetsAClosedWindow() throws Exception {
        QuotaWindows w = new QuotaWindows(HOUR, WindowTime.EVENT, 0);
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WindowTargetCap(3, w)), (AdmittedItem a) -> a.window, Types.LONG)) {
            h.open();
            for (int i = 0; i < 5; i++) {
                h.processElement(admitted(i, BASE), BASE);
            }
            for (int i = 5; i < 7; i++) {
                h.processElement(admitted(i, BASE + HOUR), BASE + HOUR);
            }
            assertEquals(5, h.extractOutputValues().size(), "3 of window 0, 2 of window 1");
            int entries = h.numKeyedStateEntries();
            h.processWatermark(new Watermark(BASE + HOUR - 1));
            assertEquals(entries - 1, h.numKeyedStateEntries(), "window 0's count is gone");
            for (int i = 7; i < 10; i++) {
                h.processElement(admitted(i, BASE + HOUR), BASE + HOUR);
            }
            assertEquals(6, h.extractOutputValues().size(), "window 1 stops at 3 too");
        }
    }

    private static AdmittedItem admitted(int i, long window) {
        return new AdmittedItem(i % 3, new CuratedEvent(Integer.toString(i), new byte[] {1}), window);
    }

    @Test
    void theArrivalCounterSendsAWindowsCountsBeforeTheWatermarkThatClosesIt() throws Exception {
        QuotaWindows w = new QuotaWindows(HOUR, WindowTime.EVENT, 0);
        try (var h = new OneInputStreamOperatorTestHarness<>(new ArrivalCounter(3, 1000, w))) {
            h.open();
            h.processElement(new AssignedItem("a", 0, 0, 0, null, BASE + 10), BASE + 10);
            h.processElement(new AssignedItem("b", 0, 2, 0, null, BASE + 20), BASE + 20);
            h.processElement(new AssignedItem("c", 0, 1, 0, null, BASE + HOUR + 5), BASE + HOUR + 5);
            assertTrue(h.getOutput().isEmpty(), "below the flush size");
            h.processWatermark(new Watermark(BASE + HOUR - 1));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertEquals(2, out.size(), "window 0's counts, then the watermark: " + out);
            TopCounts c = (TopCounts) ((StreamRecord<?>) out.get(0)).getValue();
            assertEquals(BASE, c.window);
            assertArrayEquals(new long[] {1, 0, 1}, c.counts);
            assertEquals(BASE + 10, c.earliest);
            assertEquals(BASE + 20, c.latest);
            assertTrue(out.get(1) instanceof Watermark);
            h.prepareSnapshotPreBarrier(1);
            List<TopCounts> all = h.extractOutputValues();
            assertEquals(BASE + HOUR, all.get(1).window, "window 1's counts before the barrier");
            assertArrayEquals(new long[] {0, 1, 0}, all.get(1).counts);
        }
    }
}
