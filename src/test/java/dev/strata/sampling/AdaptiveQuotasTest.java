package dev.strata.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.TestTrees;
import dev.strata.model.ClusterTree;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The planner's math: estimates of final counts from arrivals, and the budgets water-filled over them. */
class AdaptiveQuotasTest {
    private static final long[] POOL = {600, 300, 100};

    @Test
    void withNothingSeenTheRemainingHorizonFollowsThePool() {
        double[] rest = AdaptiveQuotas.remainingShares(new long[3], POOL, 1000);
        assertArrayEquals(new double[] {600, 300, 100}, rest, 1e-9);
    }

    @Test
    void theRemainingHorizonFollowsWhatArrivedOnceItOutweighsThePrior() {
        // 3 pseudo-items of prior against 3000 observed, all in the smallest cluster
        double[] rest = AdaptiveQuotas.remainingShares(new long[] {0, 0, 3000}, POOL, 1000);
        assertEquals(1000, Arrays.stream(rest).sum(), 1e-9);
        assertTrue(rest[2] > 998, "the cluster that receives the stream expects its rest: " + rest[2]);
    }

    @Test
    void noRemainingHorizonExpectsNothingMore() {
        assertArrayEquals(new double[3], AdaptiveQuotas.remainingShares(new long[] {5, 5, 5}, POOL, 0), 0);
    }

    @Test
    void withNothingSeenTheBudgetsAreTheFixedPlansTopQuotas() {
        ClusterTree tree = TestTrees.twoLevel(2, new int[] {0, 0, 1, 1, 2}, new long[] {400, 200, 200, 100, 100}, 3, 1);
        QuotaPlan fixed = QuotaPlan.compute(tree, tree.leaves().size(), 300, 5);
        AdaptiveQuotas.TopBudgets b =
                AdaptiveQuotas.topBudgets(new long[3], null, tree.top().size(), 1000, 300, 5, 2);
        assertArrayEquals(fixed.topQuotas(), b.budgets());
        assertArrayEquals(new long[] {600, 300, 100}, b.remaining());
    }

    @Test
    void budgetsMoveToWhereItemsArriveAndNeverSumAboveTheTarget() {
        // half the horizon seen, none of it in the pool's largest cluster
        AdaptiveQuotas.TopBudgets b = AdaptiveQuotas.topBudgets(new long[] {0, 250, 250}, null, POOL, 1000, 300, 5, 2);
        assertEquals(300, Arrays.stream(b.budgets()).sum());
        assertTrue(b.budgets()[0] < 10, "a cluster that receives nothing loses its budget: " + b.budgets()[0]);
        assertTrue(b.budgets()[1] >= 145 && b.budgets()[2] >= 145, Arrays.toString(b.budgets()));
        // seen plus still expected is the horizon V
        assertEquals(1000, b.seen() + Arrays.stream(b.remaining()).sum());
    }

    @Test
    void aStreamSmallerThanTheTargetKeepsEverythingItBrings() {
        AdaptiveQuotas.TopBudgets b = AdaptiveQuotas.topBudgets(new long[] {10, 20, 30}, null, POOL, 60, 300, 5, 2);
        assertArrayEquals(new long[] {10, 20, 30}, b.budgets());
    }

    @Test
    void aStreamLongerThanVIsPlannedOnItsCountsAlone() {
        AdaptiveQuotas.TopBudgets b =
                AdaptiveQuotas.topBudgets(new long[] {50, 900, 1050}, null, POOL, 1000, 300, 5, 2);
        assertArrayEquals(new long[3], b.remaining());
        assertArrayEquals(WaterFilling.split(300, new long[] {50, 900, 1050}, QuotaPlan.salt(5, 2)), b.budgets());
    }

    @Test
    void leafQuotasSplitTheBudgetOverTheSubtreesEstimates() {
        ClusterTree tree = TestTrees.twoLevel(2, new int[] {0, 0, 0, 1}, new long[] {100, 100, 100, 50}, 2, 1);
        SubtreeQuotas q = new SubtreeQuotas(new TreeShape(tree), tree.leaves().size(), 3);
        // leaf 0 has had everything, leaves 1 and 2 nothing: the remaining 300 mostly go to leaf 0
        q.plan(0, 90, 300, new long[] {300, 0, 0});
        assertEquals(90, q.quota(0) + q.quota(1) + q.quota(2));
        assertTrue(q.expected(0) > 590, "leaf 0 expects most of the rest: " + q.expected(0));
        assertTrue(q.expected(1) < 5 && q.expected(2) < 5);
        // a leaf whose estimate is below the water level keeps all of it
        assertEquals(q.expected(1), q.quota(1));
        assertEquals(90 - q.quota(1) - q.quota(2), q.quota(0));
    }

    @Test
    void roundedSharesAddUpToTheRemainingHorizon() {
        // three even thirds of 100: rounding each would give 33 + 33 + 33 or, with halves, more than 100
        long[] rest = AdaptiveQuotas.roundedShares(new long[] {1, 1, 1}, new long[] {1, 1, 1}, 100);
        assertEquals(100, Arrays.stream(rest).sum());
        long[] halves = AdaptiveQuotas.roundedShares(new long[] {0, 0}, new long[] {1, 1}, 5);
        assertEquals(5, halves[0] + halves[1]);
    }

    @Test
    void aTargetThatCoversTheVolumeCutsNoClusterWhateverTheRounding() {
        // T = V: the estimates add up to V exactly, so no cluster is cut and the level is open
        long[] seen = {7, 3, 5};
        for (long v = 15; v < 40; v++) {
            AdaptiveQuotas.TopBudgets b = AdaptiveQuotas.topBudgets(seen, null, POOL, v, v, 5, 2);
            assertEquals(Long.MAX_VALUE, b.level(), "V = T = " + v);
            assertEquals(v, Arrays.stream(b.budgets()).sum());
        }
        AdaptiveQuotas.TopBudgets cut =
                AdaptiveQuotas.topBudgets(new long[] {0, 250, 250}, null, POOL, 1000, 300, 5, 2);
        assertTrue(cut.level() < 300, "a target below the volume cuts at a level: " + cut.level());
    }
}
