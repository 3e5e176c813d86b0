package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.TestTrees;
import dev.strata.model.ClusterTree;
import dev.strata.sampling.SubtreeQuotas;
import dev.strata.sampling.TreeShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Adaptive admission's decisions: caps at the plan of the moment, never revoked, delivery on a drifted stream. */
class TopAdmissionTest {
    // 4 top clusters of 3 leaves; the pool is even
    private static final int[] PARENT = {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3};
    private static final ClusterTree TREE = TestTrees.twoLevel(2, PARENT, new long[] {100, 100, 100, 100, 100, 100, 100,
            100, 100, 100, 100, 100}, 4, 1);

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
        SubtreeQuotas check = new SubtreeQuotas(new TreeShape(TREE), TREE.leaves().size(), 3);
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
            check.plan(top, plan.budgets[top], plan.remaining[top], c.seen);
            long leafBefore = c.accepted[pos];
            long topBefore = c.total;
            TopAdmission.Decision d = admission.decide(c, leaf, top, plan, Uniform.of(3, "i" + i));
            if (d == TopAdmission.Decision.ACCEPTED) {
                accepted++;
                assertTrue(leafBefore < check.quota(leaf), "leaf " + leaf + " accepted past its quota " + check.quota(leaf));
                assertTrue(topBefore < plan.budgets[top], "top " + top + " accepted past its budget " + plan.budgets[top]);
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
}
