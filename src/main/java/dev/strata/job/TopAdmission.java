package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.SubtreeQuotas;
import dev.strata.sampling.TreeShape;

/**
 * Adaptive admission of one item, Flink-free: the {@link AdaptiveAdmissionFunction} runs it
 * under each top cluster's key, the drift benchmark runs it directly. The leaves' quotas are
 * re-planned from the top cluster's counters and the latest {@link TopPlan} ({@link SubtreeQuotas}),
 * then the leaf decides by selection sampling against its estimated final count. Caps: the
 * leaf's current quota and the top cluster's current budget; an acceptance is never revoked,
 * so a quota that falls below what a leaf already accepted just closes the leaf.
 */
public final class TopAdmission {
    public enum Decision {
        ACCEPTED, OVER_QUOTA, SAMPLED_OUT
    }

    private final TreeShape shape;
    private final int[] position;
    private final SubtreeQuotas quotas;

    public TopAdmission(ClusterTree tree, long seed) {
        shape = new TreeShape(tree);
        position = new int[tree.leaves().clusters()];
        for (int top = 0; top < tree.top().clusters(); top++) {
            int[] leaves = shape.leavesUnder(top);
            for (int i = 0; i < leaves.length; i++) {
                position[leaves[i]] = i;
            }
        }
        quotas = new SubtreeQuotas(shape, tree.leaves().size(), seed);
    }

    /** Fresh counters for a top cluster's subtree. */
    public TopCounters counters(int top) {
        return new TopCounters(shape.leavesUnder(top).length);
    }

    /**
     * Decides one item and updates {@code c}.
     *
     * @param plan the latest plan this task has (budgets and remaining items per top cluster)
     * @param u    uniform in [0, 1) for this item (a hash of its id, so a replay decides the same)
     */
    public Decision decide(TopCounters c, int leaf, int top, TopPlan plan, double u) {
        int i = position[leaf];
        long budget = plan.budgets[top];
        quotas.plan(top, budget, plan.remaining[top], c.seen);
        long q = quotas.quota(leaf);
        // this item is one of the leaf's arrivals even if the plan has not counted it yet
        long remaining = Math.max(quotas.expected(leaf) - c.seen[i], 1);
        // pace for the pessimistic count of the leaf's remaining arrivals, one standard deviation
        // (Poisson) below the estimate: a leaf that gets fewer items than estimated ends below its
        // quota for good, one that gets more just reaches its quota a little early
        long paced = Math.max(1, remaining - (long) Math.floor(Math.sqrt(remaining)));
        long expected = c.seen[i] + paced;
        Decision d;
        if (c.total >= budget || c.accepted[i] >= q) {
            d = Decision.OVER_QUOTA;
        } else if (SelectionSampling.accept(c.seen[i], c.accepted[i], q, expected, u)) {
            d = Decision.ACCEPTED;
            c.accepted[i]++;
            c.total++;
        } else {
            d = Decision.SAMPLED_OUT;
        }
        c.seen[i]++;
        return d;
    }
}
