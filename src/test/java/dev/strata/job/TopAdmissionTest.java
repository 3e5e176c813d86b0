package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.TestTrees;
import dev.strata.model.ClusterTree;
import dev.strata.sampling.StreamQuotas;
import dev.strata.sampling.SubtreeQuotas;
import dev.strata.sampling.TreeShape;
import dev.strata.sampling.Uniform;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Adaptive admission's decisions: caps at the plan of the moment, never revoked, delivery on a drifted stream. */
class TopAdmissionTest {
    // 4 top clusters of 3 leaves; the pool is even
    private static final int[] PARENT = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3};
    private static final ClusterTree TREE = TestTrees.twoLevel(
            2, PARENT, new long[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, 4, 1);

    /** Leaves of a drifted stream: top cluster 0 gets nothing, leaf 3 most of top 1, the rest even. */
    private static int[] driftedLeaves(int n, long seed) {
        Random rnd = new Random(seed);
        int[] leaves = new int[n];
        for (int i = 0; i < n; i++) {
            int top = 1 + rnd.nextInt(3);
            int leaf = top == 1 && rnd.nextDouble() < 0.8 ? 3 : 3 * top + rnd.nextInt(3);
            leaves[i] = leaf;
        }
        return leaves;
    }

    @Test
    void noLeafOrTopClusterPassesThePlanOfTheMomentAndAcceptancesOnlyGrow() {
        StreamQuotas fixed = StreamQuotas.of(TREE, 120, 1200, 3);
        TopPlanner planner = new TopPlanner(TREE, fixed, 3);
        TopAdmission admission = new TopAdmission(TREE, 3);
        SubtreeQuotas check =
                new SubtreeQuotas(new TreeShape(TREE), TREE.leaves().size(), 3);
        int[] leaves = driftedLeaves(1200, 9);
        TopCounters[] counters = new TopCounters[4];
        long[] seen = new long[4];
        TopPlan plan = planner.initial();
        long accepted = 0;
        for (int i = 0; i < leaves.length; i++) {
            int leaf = leaves[i];
            int top = PARENT[leaf];
            if (counters[top] == null) {
                counters[top] = admission.counters(top);
            }
            TopCounters c = counters[top];
            int pos = leaf % 3;
            long leafBefore = c.accepted[pos];
            long topBefore = c.total;
            TopAdmission.Decision d = admission.decide(c, leaf, top, plan, Uniform.of(3, "i" + i));
            // the budget of the moment: the plan's, raised only toward the plan's level for a top
            // cluster that received more than the plan knew of
            long budget = admission.lastBudget();
            assertTrue(
                    budget >= plan.budgets[top] && (budget == plan.budgets[top] || budget <= plan.level),
                    "budget " + budget + " against the plan's " + plan.budgets[top] + ", level " + plan.level);
            // the leaf quotas are that budget water-filled over the subtree's estimates
            long[] seenWith = c.seen.clone();
            check.estimate(top, plan.remaining[top], seenWith, null);
            check.split(top, budget);
            assertEquals(check.quota(leaf), admission.lastQuota());
            if (d == TopAdmission.Decision.ACCEPTED) {
                accepted++;
                assertTrue(
                        leafBefore < check.quota(leaf),
                        "leaf " + leaf + " accepted past its quota " + check.quota(leaf));
                assertTrue(topBefore < budget, "top " + top + " accepted past its budget " + budget);
            }
            assertTrue(c.accepted[pos] >= leafBefore && c.total >= topBefore, "never revoked");
            assertEquals(leafBefore + (d == TopAdmission.Decision.ACCEPTED ? 1 : 0), c.accepted[pos]);
            seen[top]++;
            if (i % 16 == 15) {
                plan = planner.plan(seen, 0);
            }
        }
        // top cluster 0 received nothing: the fixed plan would have left its 30 items unused
        assertTrue(accepted >= 0.98 * 120 && accepted <= 130, "accepted " + accepted);
    }

    @Test
    void theFixedPlanLeavesTheQuotaOfClustersThatReceiveNothing() {
        FixedAdmission admission = new FixedAdmission(StreamQuotas.of(TREE, 120, 1200, 3));
        int[] leaves = driftedLeaves(1200, 9);
        LeafCounter[] c = new LeafCounter[12];
        long[] top = new long[4];
        long accepted = 0;
        for (int i = 0; i < leaves.length; i++) {
            int leaf = leaves[i];
            if (c[leaf] == null) {
                c[leaf] = new LeafCounter();
            }
            if (admission.decide(c[leaf], top[PARENT[leaf]], leaf, PARENT[leaf], Uniform.of(3, "i" + i))
                    == TopAdmission.Decision.ACCEPTED) {
                top[PARENT[leaf]]++;
                accepted++;
            }
        }
        assertTrue(accepted <= 90, "at most the three receiving top clusters' 30 each: " + accepted);
    }

    /**
     * T = V on a stream with the pool's proportions (CurationJobIT's dead-letter run): the target
     * can only be reached by taking every item, so no item may be refused, whichever plan (lagging
     * behind the stream by a counter's flush, or none yet) the item meets.
     */
    @Test
    void withTheTargetEqualToTheVolumeEveryItemIsAccepted() {
        long[] pool = {7, 31, 2, 19, 5, 11, 23, 3, 13, 17, 29, 40};
        ClusterTree tree = TestTrees.twoLevel(2, PARENT, pool, 4, 1);
        int n = 0;
        for (long p : pool) {
            n += (int) p;
        }
        for (long seed = 1; seed <= 20; seed++) {
            // the pool itself, shuffled
            int[] leaves = new int[n];
            int k = 0;
            for (int leaf = 0; leaf < pool.length; leaf++) {
                for (int j = 0; j < pool[leaf]; j++) {
                    leaves[k++] = leaf;
                }
            }
            Integer[] order = boxed(leaves);
            java.util.Collections.shuffle(java.util.Arrays.asList(order), new Random(seed));
            TopPlanner planner = new TopPlanner(tree, StreamQuotas.of(tree, n, n, seed), seed);
            TopAdmission admission = new TopAdmission(tree, seed);
            TopCounters[] counters = new TopCounters[4];
            long[] planned = new long[4];
            long[] pending = new long[4];
            TopPlan plan = planner.initial();
            for (int i = 0; i < n; i++) {
                int leaf = order[i];
                int top = PARENT[leaf];
                if (counters[top] == null) {
                    counters[top] = admission.counters(top);
                }
                TopAdmission.Decision d = admission.decide(counters[top], leaf, top, plan, Uniform.of(seed, "i" + i));
                assertEquals(TopAdmission.Decision.ACCEPTED, d, "seed " + seed + ", item " + i + " of " + n);
                // plans lag the stream by a flush of 16 arrivals
                pending[top]++;
                if (i % 16 == 15) {
                    for (int t = 0; t < 4; t++) {
                        planned[t] += pending[t];
                        pending[t] = 0;
                    }
                    plan = planner.plan(planned, 0);
                }
            }
        }
    }

    /**
     * V told twice the stream (issue 12: 0.58 of T delivered): leaves pace for arrivals that never
     * come. The reserves and the top-up under the final plan deliver the target, each leaf's top-up
     * being the lowest-priority items among all it refused (a uniform sample of them: the reserve,
     * bounded by the leaf's "ended now" quota, dropped none the top-up needed).
     */
    @Test
    void aStreamEndingAtHalfItsToldVolumeGetsTheTargetFromTheReserves() {
        int n = 1200;
        long target = 120;
        TopPlanner planner = new TopPlanner(TREE, StreamQuotas.of(TREE, target, 2L * n, 3), 3);
        TopAdmission admission = new TopAdmission(TREE, 3);
        int[] leaves = driftedLeaves(n, 9);
        TopCounters[] counters = new TopCounters[4];
        LeafReserve[] reserves = new LeafReserve[12];
        java.util.Map<Integer, List<String>> refused = new java.util.HashMap<>();
        long[] seen = new long[4];
        TopPlan plan = planner.initial();
        long accepted = 0;
        long maxHeld = 0;
        for (int i = 0; i < n; i++) {
            int leaf = leaves[i];
            int top = PARENT[leaf];
            counters[top] = counters[top] == null ? admission.counters(top) : counters[top];
            TopCounters c = counters[top];
            String id = "i" + i;
            if (admission.decide(c, leaf, top, plan, Uniform.of(3, id)) == TopAdmission.Decision.ACCEPTED) {
                accepted++;
            } else {
                refused.computeIfAbsent(leaf, k -> new ArrayList<>()).add(id);
                double priority = LeafReserve.priority(3, id);
                long room = admission.reserveRoomFor(c, leaf, top, plan, priority);
                if (room >= 0) {
                    reserves[leaf] = reserves[leaf] == null ? new LeafReserve() : reserves[leaf];
                    if (reserves[leaf].offer(priority, id, new byte[0], room)) {
                        c.reserveChanged(admission.position(leaf), reserves[leaf]);
                    }
                    assertTrue(reserves[leaf].size() <= room, "bounded by the room");
                }
            }
            long held = 0;
            for (LeafReserve r : reserves) {
                held += r == null ? 0 : r.size();
            }
            maxHeld = Math.max(maxHeld, held);
            seen[top]++;
            if (i % 16 == 15) {
                plan = planner.plan(seen, 0);
            }
        }
        assertTrue(accepted < 0.8 * target, "pacing for twice the stream leaves the target short: " + accepted);
        assertTrue(maxHeld <= target + 12, "the reserves together hold about T at most: " + maxHeld);

        TopPlan last = planner.plan(seen, 0);
        long delivered = accepted;
        for (int top = 0; top < 4; top++) {
            if (counters[top] == null) {
                continue;
            }
            long before = counters[top].total;
            long[] take = admission.topUp(counters[top], top, last);
            // the final plan still expects V: the top-up fills the budgets of a stream that ended here
            assertTrue(
                    counters[top].total <= Math.max(before, last.endBudgets[top]),
                    "a top-up never passes the final budget");
            for (int pos = 0; pos < 3; pos++) {
                int leaf = 3 * top + pos;
                if (take[pos] == 0) {
                    continue;
                }
                List<String> got = new ArrayList<>();
                for (CuratedEvent e : reserves[leaf].take((int) take[pos])) {
                    got.add(e.id);
                }
                assertEquals(take[pos], got.size(), "the reserve holds what the top-up asks of leaf " + leaf);
                List<String> lowest = new ArrayList<>(refused.get(leaf));
                lowest.sort(java.util.Comparator.comparingDouble(id -> LeafReserve.priority(3, id)));
                assertEquals(
                        lowest.subList(0, got.size()),
                        got,
                        "the lowest priorities among everything leaf " + leaf + " refused");
                delivered += got.size();
            }
        }
        assertTrue(Math.min(delivered, target) >= 0.98 * target, "delivered " + delivered + " of " + target);
    }

    /**
     * A leaf that accepted above its final quota (it was paced for an earlier, larger share) used
     * part of its top cluster's budget: the short leaves share what is left, evenly, and the top
     * cluster ends at its budget, not above it. Before this held, each short leaf took its whole
     * shortfall; the top cluster passed its budget and the target cap took the excess out of the
     * top clusters topped up after it (an IT saw 24 and 13 where the batch selection had 20 and 19).
     */
    @Test
    void theTopUpSharesWhatIsLeftOfTheBudgetAndNeverPassesIt() {
        TopPlanner planner = new TopPlanner(TREE, StreamQuotas.of(TREE, 120, 600, 3), 3);
        TopPlan last = planner.plan(new long[] {150, 150, 150, 150}, 0);
        assertEquals(30, last.endBudgets[0], "T/4 each, 10 per leaf");
        TopAdmission admission = new TopAdmission(TREE, 3);
        TopCounters c = admission.counters(0);
        c.seen = new long[] {50, 50, 50};
        c.accepted = new long[] {25, 0, 0};
        c.total = 25;
        c.reserved = new int[] {0, 20, 20};

        long[] take = admission.topUp(c, 0, last);

        assertEquals(30, c.total, "the top cluster ends at its budget");
        assertEquals(0, take[0]);
        assertEquals(5, take[1] + take[2]);
        assertTrue(Math.abs(take[1] - take[2]) <= 1, "shared evenly: " + take[1] + " and " + take[2]);
    }

    /** 4 top clusters of 64 leaves each (re-planned every 4 arrivals), long-tailed pool sizes. */
    private static final int WIDE = 64;

    private static ClusterTree wideTree(long seed) {
        int[] parent = new int[4 * WIDE];
        long[] pool = new long[parent.length];
        Random rnd = new Random(seed);
        for (int leaf = 0; leaf < parent.length; leaf++) {
            parent[leaf] = leaf / WIDE;
            pool[leaf] = 1 + (long) (60 * Math.pow(rnd.nextDouble(), 3));
        }
        return TestTrees.twoLevel(2, parent, pool, 4, seed);
    }

    /** A stream of the wide tree's pool, shuffled; top cluster 0 thinned to a tenth (drift). */
    private static int[] widePoolStream(ClusterTree tree, long seed, boolean drift) {
        List<Integer> items = new ArrayList<>();
        Random rnd = new Random(seed);
        long[] pool = tree.leaves().size();
        for (int leaf = 0; leaf < pool.length; leaf++) {
            for (long j = 0; j < pool[leaf]; j++) {
                if (!drift || leaf >= WIDE || rnd.nextInt(10) == 0) {
                    items.add(leaf);
                }
            }
        }
        java.util.Collections.shuffle(items, rnd);
        return items.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The amortised leaf plan with wide top clusters: between re-plans the leaves of a top cluster
     * kept whole follow their counts, so T = V still takes every item, and a re-plan happens for
     * a fraction of the items only.
     */
    @Test
    void withTheTargetEqualToTheVolumeEveryItemIsAcceptedBetweenReplansToo() {
        for (long seed = 1; seed <= 5; seed++) {
            ClusterTree tree = wideTree(seed);
            int[] leaves = widePoolStream(tree, seed, false);
            int n = leaves.length;
            TopPlanner planner = new TopPlanner(tree, StreamQuotas.of(tree, n, n, seed), seed);
            TopAdmission admission = new TopAdmission(tree, seed);
            int[] topOf = tree.topOfLeaves();
            TopCounters[] counters = new TopCounters[4];
            long[] planned = new long[4];
            TopPlan plan = planner.initial();
            for (int i = 0; i < n; i++) {
                int top = topOf[leaves[i]];
                counters[top] = counters[top] == null ? admission.counters(top) : counters[top];
                TopAdmission.Decision d =
                        admission.decide(counters[top], leaves[i], top, plan, Uniform.of(seed, "i" + i));
                assertEquals(TopAdmission.Decision.ACCEPTED, d, "seed " + seed + ", item " + i + " of " + n);
                planned[top]++;
                if (i % 16 == 15) {
                    plan = planner.plan(planned.clone(), 0);
                }
            }
            assertTrue(admission.replans() < n / 2, admission.replans() + " re-plans for " + n + " items");
        }
    }

    /**
     * The amortised plan against the plan made on every item (the divisor above every top
     * cluster's size), on the same drifted streams with the reserves and the top-up: both deliver
     * the target, balanced alike over the top clusters and the leaves, with a third of the
     * re-plans or fewer. Plans lag by a flush of 16 arrivals, as in the job on short streams.
     */
    @Test
    void theAmortisedPlanDeliversLikeThePlanMadeOnEveryItem() {
        for (long seed = 1; seed <= 4; seed++) {
            ClusterTree tree = wideTree(seed);
            int[] leaves = widePoolStream(tree, seed, true);
            long target = leaves.length / 8;
            Run amortised = run(tree, new TopAdmission(tree, seed), leaves, target, seed);
            Run everyItem = run(tree, new TopAdmission(tree, seed, Integer.MAX_VALUE), leaves, target, seed);
            assertEquals(leaves.length, everyItem.replans, "the reference plans on every item");
            assertTrue(
                    amortised.replans * 3 <= leaves.length,
                    amortised.replans + " re-plans for " + leaves.length + " items");
            for (Run r : List.of(amortised, everyItem)) {
                assertTrue(r.delivered >= 0.98 * target && r.delivered <= target, "delivered " + r.delivered);
            }
            double topGap = Math.abs(dev.strata.model.LevelStats.normalizedEntropy(amortised.perTop)
                    - dev.strata.model.LevelStats.normalizedEntropy(everyItem.perTop));
            double leafGap = Math.abs(dev.strata.model.LevelStats.normalizedEntropy(amortised.perLeaf)
                    - dev.strata.model.LevelStats.normalizedEntropy(everyItem.perLeaf));
            assertTrue(
                    topGap <= 0.005 && leafGap <= 0.01, "seed " + seed + ": entropy gaps " + topGap + ", " + leafGap);
        }
    }

    /**
     * The water level moves by an item or so with most plans; a capped top cluster re-plans its
     * leaves when its budget moved by more than 1/32, not for every such step, while its cap is
     * the current budget on every item.
     */
    @Test
    void aCappedTopClusterIsReplannedForABudgetMoveBeyondTheSlackNotForEveryStep() {
        ClusterTree tree = wideTree(1);
        TopAdmission admission = new TopAdmission(tree, 1);
        TopCounters c = admission.counters(0);
        long[] remaining = {10_000, 10_000, 10_000, 10_000};
        // every top cluster capped at the water level b
        java.util.function.LongFunction<TopPlan> planWithBudget =
                b -> new TopPlan(0, new long[] {b, b, b, b}, remaining, b, new long[] {b, b, b, b}, b, 0);
        admission.decide(c, 0, 0, planWithBudget.apply(320), 0.5);
        assertEquals(1, admission.replans(), "the first item plans");
        admission.decide(c, 1, 0, planWithBudget.apply(321), 0.5);
        admission.decide(c, 2, 0, planWithBudget.apply(329), 0.5);
        assertEquals(1, admission.replans(), "moves of 1 and 9 of 320 keep the leaf plan");
        assertEquals(329, admission.lastBudget(), "the cap is the current budget");
        admission.decide(c, 3, 0, planWithBudget.apply(331), 0.5);
        assertEquals(2, admission.replans(), "a move of 11 of 320 re-plans");
        admission.decide(c, 4, 0, planWithBudget.apply(300), 0.5);
        assertEquals(3, admission.replans(), "and so does a fall of 31");
    }

    private record Run(long delivered, long replans, long[] perTop, long[] perLeaf) {}

    private static Run run(ClusterTree tree, TopAdmission admission, int[] leaves, long target, long seed) {
        TopPlanner planner = new TopPlanner(tree, StreamQuotas.of(tree, target, leaves.length, seed), seed);
        int[] topOf = tree.topOfLeaves();
        TopCounters[] counters = new TopCounters[4];
        LeafReserve[] reserves = new LeafReserve[topOf.length];
        long[] perTop = new long[4];
        long[] perLeaf = new long[topOf.length];
        long[] planned = new long[4];
        TopPlan plan = planner.initial();
        for (int i = 0; i < leaves.length; i++) {
            int leaf = leaves[i];
            int top = topOf[leaf];
            counters[top] = counters[top] == null ? admission.counters(top) : counters[top];
            TopCounters c = counters[top];
            String id = "i" + i;
            if (admission.decide(c, leaf, top, plan, Uniform.of(seed, id)) == TopAdmission.Decision.ACCEPTED) {
                perTop[top]++;
                perLeaf[leaf]++;
            } else {
                double priority = LeafReserve.priority(seed, id);
                long room = admission.reserveRoomFor(c, leaf, top, plan, priority);
                if (room >= 0) {
                    reserves[leaf] = reserves[leaf] == null ? new LeafReserve() : reserves[leaf];
                    if (reserves[leaf].offer(priority, id, new byte[0], room)) {
                        c.reserveChanged(admission.position(leaf), reserves[leaf]);
                    }
                }
            }
            planned[top]++;
            if (i % 16 == 15) {
                plan = planner.plan(planned.clone(), 0);
            }
        }
        TopPlan last = planner.plan(planned.clone(), 0);
        for (int top = 0; top < 4; top++) {
            if (counters[top] == null) {
                continue;
            }
            long[] take = admission.topUp(counters[top], top, last);
            for (int pos = 0; pos < take.length; pos++) {
                int leaf = top * WIDE + pos;
                if (take[pos] > 0) {
                    int got = reserves[leaf].take((int) take[pos]).length;
                    perTop[top] += got;
                    perLeaf[leaf] += got;
                }
            }
        }
        long delivered = java.util.Arrays.stream(perTop).sum();
        return new Run(Math.min(delivered, target), admission.replans(), perTop, perLeaf);
    }

    private static Integer[] boxed(int[] a) {
        Integer[] b = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}
