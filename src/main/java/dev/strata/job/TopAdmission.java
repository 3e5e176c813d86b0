package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.SelectionSampling;
import dev.strata.sampling.SubtreeQuotas;
import dev.strata.sampling.TreeShape;
import dev.strata.sampling.WaterFilling;

/**
 * Adaptive admission of one item, Flink-free: the {@link AdaptiveAdmissionFunction} runs it
 * under each top cluster's key, the drift benchmark runs it directly. The leaves' quotas are
 * planned from the top cluster's counters and the latest {@link TopPlan} ({@link SubtreeQuotas}),
 * then the leaf decides by selection sampling against its estimated final count. Caps: the
 * leaf's current quota and the top cluster's current budget; an acceptance is never revoked,
 * so a quota that falls below what a leaf already accepted just closes the leaf.
 *
 * <p>The leaf plan is amortised: planning a top cluster costs O(L log L) for its L leaves, and
 * the heavy top clusters (hundreds to thousands of leaves) get most items, so planning on every
 * item was most of the job's CPU (docs/benchmarks.md, "Adaptive admission on a quiet machine").
 * A top cluster is re-planned when its budget moves by more than 1/{@value #BUDGET_SLACK} or the
 * plans' expectation of its remaining items by more than an eighth, and after
 * max(1, L / {@value #REPLAN_DIVISOR}) arrivals; in between, a leaf's
 * estimate is its count plus its share of the remaining items from the last plan, and the leaves
 * of a top cluster that plan kept whole stay whole (their quotas follow their counts), so a
 * target that needs every item still gets it. The plan is kept in the counters (keyed state), so
 * a restored task decides as the original did.
 */
public final class TopAdmission {
    public enum Decision {
        ACCEPTED,
        OVER_QUOTA,
        SAMPLED_OUT
    }

    /** A top cluster of L leaves is re-planned at least every max(1, L / this) of its arrivals. */
    public static final int REPLAN_DIVISOR = 4;

    /** A capped top cluster is re-planned when its budget moves by more than 1/this of the planned one. */
    static final int BUDGET_SLACK = 32;

    /** A leaf's "ended now" quota when that split kept it whole: its quota is its count. */
    private static final long WHOLE = Long.MAX_VALUE;

    private final TreeShape shape;
    private final int[] position;
    private final SubtreeQuotas quotas;
    private final int divisor;
    private long budget;
    private long quota;
    private long replans;

    public TopAdmission(ClusterTree tree, long seed) {
        this(tree, seed, REPLAN_DIVISOR);
    }

    /**
     * @param divisor a top cluster of L leaves is re-planned every max(1, L / divisor) arrivals;
     *                {@code Integer.MAX_VALUE} re-plans on every item (the reference the tests
     *                compare the amortised plan with)
     */
    public TopAdmission(ClusterTree tree, long seed, int divisor) {
        this.divisor = divisor;
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
        c.ensurePlan();
        long seenBefore = c.seen[i];
        // this item is one of the leaf's arrivals even if the plan has not counted it yet: the
        // estimates include it, so a leaf planned to keep everything has room for it
        c.seen[i]++;
        c.arrivals++;
        // the leaves' estimates add up to the top cluster's arrivals plus the plan's remaining
        // items for it (the shares of the remaining items are rounded to add up to them)
        budget = budgetNow(plan, top, c.availableTotal() + plan.remaining[top]);
        if (replanDue(c, top, plan)) {
            replan(c, top, plan);
        }
        long rest = c.rest[i];
        // a top cluster the last plan kept whole keeps every leaf whole: its quota follows its count
        quota = c.plannedBudget >= c.plannedEstimate ? c.available(i) + rest : c.quota[i];
        // pace for the pessimistic count of the leaf's remaining arrivals, one standard deviation
        // (Poisson) below the estimate: a leaf that gets fewer items than estimated ends below its
        // quota for good, one that gets more just reaches its quota a little early
        long remaining = rest + 1;
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
     * Whether the top cluster's leaf plan is stale: none yet; the top cluster went from kept whole
     * to capped or back, or its cap moved by more than 1/{@value #BUDGET_SLACK} (below the cap every
     * leaf is kept whole and whole leaves follow their counts, so a budget that grows with the
     * arrivals needs no re-plan); the remaining items the plans expect for it moved by more than an
     * eighth; or max(1, L / divisor) items arrived since. Not on every new plan: plans come every
     * 0.1% of V per arrival counter, which for a heavy top cluster is every item or two, and the
     * water level moves by an item or so with most of them. The top cluster's cap itself is the
     * current one on every item, so a smaller move only shifts leaf quotas by a few items until the
     * next re-plan, and what a leaf then lacks the top-up gives at the end. Re-planning on every
     * move of the level was three quarters of admission's time on the streaming benchmark's model
     * (AdaptiveAdmissionBench: 4.4 against 1.1 µs/item) with the same delivery and entropy on the
     * drift benchmark.
     */
    private boolean replanDue(TopCounters c, int top, TopPlan plan) {
        if (c.quota == null) {
            return true;
        }
        boolean cappedThen = c.plannedBudget < c.plannedEstimate;
        boolean cappedNow = budget < c.availableTotal() + plan.remaining[top];
        if (cappedThen != cappedNow
                || (cappedNow && BUDGET_SLACK * Math.abs(budget - c.plannedBudget) > c.plannedBudget)) {
            return true;
        }
        if (8 * Math.abs(plan.remaining[top] - c.plannedRemaining) > c.plannedRemaining) {
            return true;
        }
        long every = Math.max(1, c.seen.length / divisor);
        return c.arrivals - c.plannedAt >= every;
    }

    /**
     * Plans the leaves of top cluster {@code top} from its counters and {@code plan}: each leaf's
     * quota and share of the remaining items, and its quota if the stream ended now (the room of
     * its reserve), both water-filled down the subtree as the batch selection splits a budget.
     */
    private void replan(TopCounters c, int top, TopPlan plan) {
        replans++;
        int[] leaves = shape.leavesUnder(top);
        int n = leaves.length;
        if (c.quota == null || c.quota.length != n) {
            c.quota = new long[n];
            c.rest = new long[n];
            c.endQuota = new long[n];
        }
        long estimate = quotas.estimate(top, plan.remaining[top], c.seen, c.unavailable);
        quotas.split(top, budget);
        for (int i = 0; i < n; i++) {
            long e = quotas.expected(leaves[i]);
            long q = quotas.quota(leaves[i]);
            c.rest[i] = e - c.available(i);
            c.quota[i] = q;
        }
        c.plannedBudget = budget;
        c.plannedEstimate = estimate;
        c.plannedAt = c.arrivals;
        c.plannedRemaining = plan.remaining[top];
        // the "ended now" split: the estimates are the counts themselves
        quotas.estimate(top, 0, c.seen, c.unavailable);
        quotas.split(top, endBudgetNow(plan, top, c.availableTotal()));
        for (int i = 0; i < n; i++) {
            long q = quotas.quota(leaves[i]);
            c.endQuota[i] = q >= c.available(i) ? WHOLE : q;
        }
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
     * needs. Over all leaves it holds at most T candidates. The quota is the last re-plan's
     * (earlier, so no lower than the current one), or the leaf's count where that plan kept the
     * whole top cluster.
     */
    public long reserveRoom(TopCounters c, int leaf, int top, TopPlan plan) {
        int i = position[leaf];
        if (c.endQuota == null) {
            // only before any decide on these counters
            c.ensurePlan();
            budget = budgetNow(plan, top, c.availableTotal() + plan.remaining[top]);
            replan(c, top, plan);
        }
        // a leaf the "ended now" split kept whole follows its count: below the water level its
        // final quota can grow with every item it gets, and the top-up needs those candidates (a
        // leaf exactly at the level is kept a little generously until the next re-plan)
        long endQuota = Math.min(c.endQuota[i], c.available(i));
        return Math.max(0, endQuota - c.accepted[i]);
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
        long budget = endBudgetNow(plan, top, quotas.estimate(top, 0, c.seen, c.unavailable));
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

    /** How many times a top cluster's leaves were planned so far (the amortisation's measure). */
    public long replans() {
        return replans;
    }
}
