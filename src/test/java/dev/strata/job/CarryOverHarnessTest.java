package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.sampling.CarryOver;
import dev.strata.sampling.CarryOverFile;
import dev.strata.sampling.LeafStrategy;
import dev.strata.sampling.StreamQuotas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that continues a run (quota.carryOver) in Flink's test harnesses: each operator that
 * holds counts starts from the carry-over when it has no state, so a run cut in two by a
 * carry-over through the same model decides as the uninterrupted run, and the target cap and the
 * planner start from what the old run used.
 */
class CarryOverHarnessTest {
    @TempDir
    static Path dir;

    static JobFixture fx;
    static CurateConfig adaptive;
    static CurateConfig fixed;

    @BeforeAll
    static void fixture() {
        fx = new JobFixture(dir, 2000, 8, 5);
        adaptive = fx.config(
                "unused:9092", "in", "out", "in.dlq", EmitMode.ADMISSION, LeafStrategy.RANDOM, fx.n / 4, fx.n, true);
        fixed = withSettings(adaptive, Map.of("quota.plan", "fixed"));
    }

    private static CurateConfig withSettings(CurateConfig cfg, Map<String, ?> changes) {
        return new CurateConfig(cfg.spec().with(changes), cfg.modelVersion(), cfg.modelDim());
    }

    /** A carry-over of the first rows of the stream: what the fed rows were, and which of them were accepted. */
    private static CurateConfig carryingOver(
            CurateConfig cfg, List<Integer> consumed, Set<String> kept, long unmapped, String version, String name) {
        long[] seen = new long[fx.tree.leaves().clusters()];
        long[] keptPerLeaf = new long[seen.length];
        for (int r : consumed) {
            seen[fx.leaves.leaf()[r]]++;
            if (kept.contains(Integer.toString(r))) {
                keptPerLeaf[fx.leaves.leaf()[r]]++;
            }
        }
        Path f = dir.resolve(name);
        CarryOverFile.write(
                new CarryOver("old", version, "in", cfg.groupId(), List.of(), seen, keptPerLeaf, unmapped, 0.0, null),
                f);
        return withSettings(cfg, Map.of("quota.carryOver", f.toString()));
    }

    private static KeyedBroadcastOperatorTestHarness<Integer, AssignedItem, TopPlan, AdmittedItem> admission(
            CurateConfig cfg) throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new AdaptiveAdmissionOperator(new AdaptiveAdmissionFunction(cfg)),
                item -> item.top,
                Types.INT,
                1,
                1,
                0);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, AssignedItem, CuratedEvent> fixedAdmission(
            CurateConfig cfg) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AdmissionFunction(cfg)), item -> item.top, Types.INT);
    }

    private static AssignedItem item(int row) {
        int leaf = fx.leaves.leaf()[row];
        return new AssignedItem(Integer.toString(row), leaf, fx.tree.topOfLeaves()[leaf], 0, null);
    }

    /** The rows of a drifted stream: one in four of the lower half of top clusters, every row of the others. */
    private static List<Integer> stream() {
        int tops = fx.tree.top().clusters();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < fx.n; i++) {
            if (fx.tree.topOfLeaves()[fx.leaves.leaf()[i]] >= tops / 2 || i % 4 == 0) {
                rows.add(i);
            }
        }
        return rows;
    }

    /** Feeds rows [from, to) of the stream with a plan after every 100th, as the planner would send; returns accepted ids. */
    private static List<String> feed(
            KeyedBroadcastOperatorTestHarness<Integer, AssignedItem, TopPlan, AdmittedItem> h,
            TopPlanner planner,
            long[] seen,
            List<Integer> rows,
            int from,
            int to)
            throws Exception {
        int before = h.getOutput().size();
        for (int k = from; k < to; k++) {
            AssignedItem it = item(rows.get(k));
            h.processElement(it, k);
            seen[it.top]++;
            if (k % 100 == 99) {
                h.processBroadcastElement(planner.plan(seen.clone(), 0), k);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Object o : h.getOutput()) {
            if (i++ >= before && o instanceof StreamRecord<?> r && r.getValue() instanceof AdmittedItem a) {
                out.add(a.event.id);
            }
        }
        return out;
    }

    @Test
    void adaptiveAdmissionContinuesFromTheCarriedCountersAsIfUninterrupted() throws Exception {
        List<Integer> rows = stream();
        int half = 800; // a multiple of the plan interval: the last plan before the cut counts every row before it
        TopPlanner planner = new TopPlanner(fx.tree, adaptive.quotas(fx.tree), adaptive.seed());
        int tops = fx.tree.top().clusters();
        List<String> first;
        List<String> second;
        try (var h = admission(adaptive)) {
            h.open();
            long[] seen = new long[tops];
            first = feed(h, planner, seen, rows, 0, half);
            second = feed(h, planner, seen, rows, half, rows.size());
        }
        CurateConfig continued =
                carryingOver(adaptive, rows.subList(0, half), new HashSet<>(first), 0, fx.tree.version(), "a.json");
        List<String> resumed;
        try (var h = admission(continued)) {
            h.open();
            long[] seen = CarryOver.perTop(
                    CarryOverFile.read(Path.of(continued.carryOverPath())).seen(), fx.tree.topOfLeaves(), tops);
            resumed = feed(h, planner, seen, rows, half, rows.size());
        }
        assertTrue(first.size() > 50 && second.size() > 50, first.size() + " then " + second.size());
        assertEquals(second, resumed);

        // without the carry-over the same second half starts from zero and decides otherwise
        List<String> fresh;
        try (var h = admission(adaptive)) {
            h.open();
            fresh = feed(h, planner, new long[tops], rows, half, rows.size());
        }
        assertNotEquals(second, fresh);
    }

    @Test
    void theFixedPlanContinuesFromTheCarriedLeafAndTopCounters() throws Exception {
        List<Integer> rows = stream();
        int half = rows.size() / 2;
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        try (var h = fixedAdmission(fixed)) {
            h.open();
            for (int k = 0; k < rows.size(); k++) {
                h.processElement(item(rows.get(k)), k);
                if (k == half - 1) {
                    h.extractOutputValues().forEach(e -> first.add(e.id));
                }
            }
            List<CuratedEvent> all = h.extractOutputValues();
            all.subList(first.size(), all.size()).forEach(e -> second.add(e.id));
        }
        CurateConfig continued =
                carryingOver(fixed, rows.subList(0, half), new HashSet<>(first), 0, fx.tree.version(), "f.json");
        List<String> resumed = new ArrayList<>();
        try (var h = fixedAdmission(continued)) {
            h.open();
            for (int k = half; k < rows.size(); k++) {
                h.processElement(item(rows.get(k)), k);
            }
            h.extractOutputValues().forEach(e -> resumed.add(e.id));
        }
        assertTrue(first.size() > 50 && second.size() > 50, first.size() + " then " + second.size());
        assertEquals(second, resumed);
    }

    /**
     * A run stopped with a savepoint loses the candidates its reserves held (the new job has other
     * keys, other leaves), so the items it passed over are gone for good. Planned as if they were
     * still there, a top cluster that passed over many keeps a budget it can no longer fill and
     * the two runs together end short of T (seen once in ModelSwapIT: 293 of 300); planned over
     * what each top cluster kept plus what still comes, the budget moves to clusters that can use it.
     */
    @Test
    void aContinuedRunStillDeliversTheTargetThoughTheOldRunsPassedOverItemsAreGone() throws Exception {
        List<Integer> rows = stream();
        int tops = fx.tree.top().clusters();
        long target = fx.n / 4;
        int cut = rows.size() / 2;
        TopPlanner planner = new TopPlanner(fx.tree, adaptive.quotas(fx.tree), adaptive.seed());
        List<String> first;
        try (var h = admission(adaptive)) {
            h.open();
            // stopped here, never ended: no top-up, and its reserves stay in its savepoint
            first = feed(h, planner, new long[tops], rows, 0, cut);
        }
        CurateConfig continued =
                carryingOver(adaptive, rows.subList(0, cut), new HashSet<>(first), 0, fx.tree.version(), "gone.json");
        CarriedCounts carried = CarriedCounts.of(continued, fx.tree);
        TopPlanner continuedPlanner = carried.planner(continued, fx.tree);
        List<String> second = new ArrayList<>();
        try (var h = admission(continued)) {
            h.open();
            long[] seen = carried.seenPerTop();
            feed(h, continuedPlanner, seen, rows, cut, rows.size());
            h.processBroadcastElement(continuedPlanner.plan(seen.clone(), 0), rows.size());
            AdaptiveAdmissionOperator op = (AdaptiveAdmissionOperator) h.getTwoInputOperator();
            op.endInput(1);
            op.endInput(2);
            for (Object o : h.getOutput()) {
                if (o instanceof StreamRecord<?> r && r.getValue() instanceof AdmittedItem a) {
                    second.add(a.event.id);
                }
            }
        }
        Set<String> all = new HashSet<>(first);
        all.addAll(second);
        assertEquals(first.size() + second.size(), all.size(), "no item twice");
        assertTrue(
                all.size() >= 0.98 * target && all.size() <= target,
                "the two runs kept " + first.size() + " + " + second.size() + " of T = " + target);
    }

    @Test
    void thePlannerStartsFromTheCarriedArrivalsAndTheTargetLessWhatHasNoLeaf() throws Exception {
        int tops = fx.tree.top().clusters();
        List<Integer> consumed = stream().subList(0, 500);
        Set<String> kept = new HashSet<>();
        consumed.subList(0, 40).forEach(r -> kept.add(Integer.toString(r)));
        CurateConfig continued = carryingOver(adaptive, consumed, kept, 25, fx.tree.version(), "p.json");
        long[] carried = CarryOver.perTop(
                CarryOverFile.read(Path.of(continued.carryOverPath())).seen(), fx.tree.topOfLeaves(), tops);
        long[] delta = new long[tops];
        delta[0] = 3;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new QuotaPlanner(continued)), (TopCounts c) -> 0, Types.INT)) {
            h.open();
            h.processElement(new TopCounts(delta), 0);
            TopPlan plan = h.extractOutputValues().get(0);
            assertEquals(503, plan.seen);
            long[] s = carried.clone();
            s[0] += 3;
            StreamQuotas less = StreamQuotas.of(fx.tree, fx.n / 4 - 25, fx.n, adaptive.seed());
            // and no longer counts on the items it passed over: seen but not kept
            CarryOver c = CarryOverFile.read(Path.of(continued.carryOverPath()));
            long[] passedOver = new long[c.seen().length];
            for (int leaf = 0; leaf < passedOver.length; leaf++) {
                passedOver[leaf] = c.seen()[leaf] - c.kept()[leaf];
            }
            long[] gone = CarryOver.perTop(passedOver, fx.tree.topOfLeaves(), tops);
            assertArrayEquals(new TopPlanner(fx.tree, less, adaptive.seed(), gone).plan(s, 0).budgets, plan.budgets);
            assertFalse(Arrays.equals(new TopPlanner(fx.tree, less, adaptive.seed()).plan(s, 0).budgets, plan.budgets));
            long sum = 0;
            for (long b : plan.budgets) {
                sum += b;
            }
            assertTrue(sum <= fx.n / 4 - 25, "budgets " + sum + " leave out the 25 kept items without a leaf");
        }
    }

    @Test
    void theTargetCapCountsWhatTheOldRunCurated() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TargetCap(10, 7)), (AdmittedItem a) -> 0, Types.INT)) {
            h.open();
            for (int i = 0; i < 6; i++) {
                h.processElement(new AdmittedItem(0, new CuratedEvent(Integer.toString(i), new byte[] {1})), i);
            }
            assertEquals(3, h.extractOutputValues().size());
        }
    }

    @Test
    void theBalanceMonitorCountsWhatTheOldRunKept() throws Exception {
        try (HarnessMetrics metrics = new HarnessMetrics();
                var h = new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new BalanceMonitor(3, new long[] {5, 0, 2})),
                        (TopDelta d) -> 0,
                        Types.INT,
                        metrics.environment())) {
            h.open();
            h.processElement(new TopDelta(1, 1), 0);
            assertEquals(8L, metrics.gauge("acceptedTotal"));
            assertEquals(3, metrics.gauge("topClustersWithItems"));
        }
    }

    @Test
    void aCarryOverMappedThroughAnotherModelIsRefusedInOneLine() {
        CurateConfig other = carryingOver(adaptive, List.of(1, 2), Set.of(), 0, "not-this-model", "v.json");
        NonRecoverable e = assertThrows(NonRecoverable.class, () -> CarryOverLoader.load(other, fx.tree));
        assertEquals(
                "carry-over " + other.carryOverPath()
                        + " was mapped through model version not-this-model but the job's "
                        + "model is version " + fx.tree.version()
                        + "; run `strata carry-over --model` with the job's model again",
                e.getMessage());
    }

    @Test
    void underTheFixedPlanTwoRunsTogetherNeverPassTheTarget() {
        // the old run kept 40 more items of the largest top cluster than the new plan gives it
        int tops = fx.tree.top().clusters();
        long[] poolTop = fx.tree.top().size();
        int big = 0;
        for (int t = 1; t < tops; t++) {
            big = poolTop[t] > poolTop[big] ? t : big;
        }
        long target = fx.n / 4;
        long over = StreamQuotas.of(fx.tree, target, fx.n, 0).topQuota(big) + 40;
        List<Integer> consumed = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (int r = 0; r < fx.n; r++) {
            if (fx.tree.topOfLeaves()[fx.leaves.leaf()[r]] == big) {
                consumed.add(r);
                if (kept.size() < over) {
                    kept.add(Integer.toString(r));
                }
            }
        }
        CurateConfig continued = carryingOver(fixed, consumed, kept, 5, fx.tree.version(), "x.json");
        CarryOver c = CarryOverFile.read(Path.of(continued.carryOverPath()));
        StreamQuotas q = CarryOverLoader.quotas(continued, fx.tree, c);
        long room = 0;
        long[] carriedTop = CarryOver.perTop(c.kept(), fx.tree.topOfLeaves(), tops);
        for (int t = 0; t < tops; t++) {
            room += Math.max(0, q.topQuota(t) - carriedTop[t]);
        }
        assertTrue(carriedTop[big] > StreamQuotas.of(fx.tree, target, fx.n, 0).topQuota(big), "a real excess");
        assertTrue(c.keptTotal() + room <= target, "kept " + c.keptTotal() + " + room " + room + " > " + target);
        // lowered by about the excess, not to nothing
        assertTrue(c.keptTotal() + room >= target - 2 * 40, "kept " + c.keptTotal() + " + room " + room);
    }
}
