package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.SelectionSampling;
import dev.strata.sampling.SubtreeQuotas;
import dev.strata.sampling.TreeShape;
import dev.strata.sampling.WaterFilling;

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
        ACCEPTED,
        OVER_QUOTA,
        SAMPLED_OUT
    }

    private final TreeShape shape;
    private final int[] position;
    private final SubtreeQuotas quotas;
    private long budget;
    private long quota;

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

    /** The leaf's position in its top cluster's subtree (the index into {@link TopCounters}). */
    public int position(int leaf) {
        return position[leaf];
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
        long seenBefore = c.seen[i];
        // this item is one of the leaf's arrivals even if the plan has not counted it yet: the
        // estimates include it, so a leaf planned to keep everything has room for it
        c.seen[i]++;
        long estimate = quotas.estimate(top, plan.remaining[top], c.seen);
        budget = budgetNow(plan, top, estimate);
        quotas.split(top, budget);
        quota = quotas.quota(leaf);
        long remaining = quotas.expected(leaf) - seenBefore;
        // pace for the pessimistic count of the leaf's remaining arrivals, one standard deviation
        // (Poisson) below the estimate: a leaf that gets fewer items than estimated ends below its
        // quota for good, one that gets more just reaches its quota a little early
        long paced = Math.max(1, remaining - (long) Math.floor(Math.sqrt(remaining)));
        long expected = seenBefore + paced;
        Decision d;
        if (c.total >= budget || c.accepted[i] >= quota) {
            d = Decision.OVER_QUOTA;
        } else if (SelectionSampling.accept(seenBefore, c.accepted[i], quota, expected, u)) {
            d = Decision.ACCEPTED;
            c.accepted[i]++;
            c.total++;
        } else {
            d = Decision.SAMPLED_OUT;
        }
        return d;
    }

    /**
     * The top cluster's budget for this item: the plan's, raised to the cluster's current estimate
     * (capped at the plan's water level) when more items arrived than the plan knew of. Plans lag
     * the stream by a counter's flush; a cluster the plan keeps whole (below the level) must keep
     * whole the items that arrive in between, or a target that needs every item (T = V) is missed.
     * Never below the plan's budget, never above the level, so the water-filling still holds.
     */
    static long budgetNow(TopPlan plan, int top, long estimate) {
        long planned = plan.budgets[top];
        return Math.max(planned, Math.min(plan.level, estimate));
    }

    /**
     * How many refused candidates the leaf's reserve may hold after the last {@link #decide} on
     * {@code c}: the leaf's quota if the stream ended now, less what it accepted. The top-up at
     * the end can give the leaf no more than its final quota, and that quota is never above the
     * "ended now" quota of an earlier moment once the leaf reaches the water level (the level only
     * falls as arrivals grow; below it the quota is the leaf's whole count and the reserve keeps
     * every refused item), so a reserve trimmed to this room never drops a candidate the top-up
     * needs. Over all leaves it holds at most T candidates.
     */
    public long reserveRoom(TopCounters c, int leaf, int top, TopPlan plan) {
        long budget = endBudgetNow(plan, top, quotas.estimate(top, 0, c.seen));
        quotas.split(top, budget);
        return Math.max(0, quotas.quota(leaf) - c.accepted[position[leaf]]);
    }

    /**
     * Whether the refused item of the last {@link #decide} on {@code c} goes to its leaf's reserve:
     * the room to offer it with ({@link LeafReserve#offer}), or -1 when the two numbers the counters
     * keep (size, worst priority held) show the reserve would turn it away and holds no more than
     * the room, so most refused items are decided without reading the reserve.
     */
    public long reserveRoomFor(TopCounters c, int leaf, int top, TopPlan plan, double priority) {
        c.ensureReserve();
        int pos = position[leaf];
        long room = reserveRoom(c, leaf, top, plan);
        boolean touch =
                LeafReserve.wouldKeep(c.reserved[pos], c.reserveWorst[pos], room, priority) || c.reserved[pos] > room;
        return touch ? room : -1;
    }

    /**
     * The top-up of a top cluster at the end of the input, under the final plan: each leaf is
     * filled from its reserve up to its final quota (the top cluster's final budget water-filled
     * over the leaves' counts, as the batch selection splits it), then whatever budget is left
     * (leaves that accepted above their final quota, or whose reserve ran short) is water-filled
     * over the candidates the reserves still hold. Updates {@code c}; returns how many candidates
     * to take from each leaf's reserve, by position in the subtree.
     */
    public long[] topUp(TopCounters c, int top, TopPlan plan) {
        c.ensureReserve();
        int n = c.seen.length;
        long budget = endBudgetNow(plan, top, quotas.estimate(top, 0, c.seen));
        quotas.split(top, budget);
        int[] leaves = shape.leavesUnder(top);
        long[] shortOf = new long[n];
        long shortfall = 0;
        for (int i = 0; i < n; i++) {
            shortOf[i] = Math.min(Math.max(0, quotas.quota(leaves[i]) - c.accepted[i]), c.reserved[i]);
            shortfall += shortOf[i];
        }
        // leaves that accepted above their final quota used part of the budget: the short leaves
        // share what is left of it, balanced, rather than each taking its whole shortfall and the
        // top cluster passing its budget (the target cap would then take it out of other clusters)
        long room = Math.max(0, budget - c.total);
        long[] take = shortfall <= room ? shortOf : WaterFilling.split(room, shortOf, top);
        long[] left = new long[n];
        long given = c.total;
        for (int i = 0; i < n; i++) {
            left[i] = c.reserved[i] - take[i];
            given += take[i];
        }
        if (budget > given) {
            long[] more = WaterFilling.split(budget - given, left, top);
            for (int i = 0; i < n; i++) {
                take[i] += more[i];
            }
        }
        for (int i = 0; i < n; i++) {
            c.accepted[i] += take[i];
            c.total += take[i];
        }
        return take;
    }

    /** {@link #budgetNow} for the plan's "ended now" budgets. */
    static long endBudgetNow(TopPlan plan, int top, long seenInTop) {
        if (plan.endBudgets == null) {
            return plan.budgets[top];
        }
        return Math.max(plan.endBudgets[top], Math.min(plan.endLevel, seenInTop));
    }

    /** The top cluster's budget used by the last {@link #decide}. */
    long lastBudget() {
        return budget;
    }

    /** The leaf's quota used by the last {@link #decide}. */
    long lastQuota() {
        return quota;
    }
}
