package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.CarryOver;
import dev.strata.sampling.TreeShape;

/**
 * The counters a job that continues a run starts from (quota.carryOver): what the old run
 * consumed and kept, per leaf of the job's model, in the shapes the selection operators keep
 * their state in. An operator asks here whenever a key has no state yet, so the same values
 * serve a fresh start and a key first touched after a restore (its counters have not moved
 * since the start); without a carry-over every count is zero, as before.
 */
final class CarriedCounts {
    private final CarryOver carry;
    private final TreeShape shape;
    private final int[] topOfLeaf;
    private final int topClusters;

    private CarriedCounts(CarryOver carry, ClusterTree tree) {
        this.carry = carry;
        this.shape = new TreeShape(tree);
        this.topOfLeaf = tree.topOfLeaves();
        this.topClusters = tree.top().clusters();
    }

    /** The job's carry-over read where the operator runs, or no counts at all. */
    static CarriedCounts of(CurateConfig cfg, ClusterTree tree) {
        return new CarriedCounts(CarryOverLoader.load(cfg, tree), tree);
    }

    /**
     * The top-level planner of a job that continues from these counts: the old run's quotas left
     * ({@link CarryOverLoader#quotas}) and what it passed over no longer counted on.
     */
    TopPlanner planner(CurateConfig cfg, ClusterTree tree) {
        return new TopPlanner(tree, CarryOverLoader.quotas(cfg, tree, carry), cfg.seed(), unavailablePerTop());
    }

    /** The carry-over itself, or null. */
    CarryOver carryOver() {
        return carry;
    }

    /**
     * With budgets per window, the start of the one window the counts belong to (the window open
     * when the old run stopped); {@link Long#MIN_VALUE} when no window carries anything.
     */
    long windowStart() {
        return carry == null || carry.window() == null
                ? Long.MIN_VALUE
                : carry.window().start();
    }

    /** Adaptive admission: seen and accepted per leaf of the top cluster's subtree (by position). */
    TopCounters top(int top) {
        int[] leaves = shape.leavesUnder(top);
        TopCounters c = new TopCounters(leaves.length);
        if (carry != null) {
            long[] passedOver = carry.passedOver();
            c.unavailable = new long[leaves.length];
            for (int i = 0; i < leaves.length; i++) {
                c.seen[i] = carry.seen()[leaves[i]];
                c.accepted[i] = carry.kept()[leaves[i]];
                c.unavailable[i] = passedOver[leaves[i]];
                c.total += c.accepted[i];
                c.arrivals += c.seen[i];
                c.unavailableTotal += c.unavailable[i];
            }
        }
        return c;
    }

    /** The fixed plan: one leaf's counters. */
    LeafCounter leaf(int leaf) {
        LeafCounter c = new LeafCounter();
        if (carry != null) {
            c.seen = carry.seen()[leaf];
            c.accepted = carry.kept()[leaf];
        }
        return c;
    }

    /** The fixed plan: what a top cluster has accepted. */
    long keptInTop(int top) {
        if (carry == null) {
            return 0;
        }
        long n = 0;
        for (int leaf : shape.leavesUnder(top)) {
            n += carry.kept()[leaf];
        }
        return n;
    }

    /** The quota planner: arrivals per top cluster, so the plan starts from the stream seen so far. */
    long[] seenPerTop() {
        return carry == null ? new long[topClusters] : CarryOver.perTop(carry.seen(), topOfLeaf, topClusters);
    }

    /**
     * Per top cluster, the items the old run consumed and did not keep (null without a carry-over):
     * the top-level plan no longer counts on them ({@link TopPlanner}).
     */
    long[] unavailablePerTop() {
        if (carry == null) {
            return null;
        }
        return CarryOver.perTop(carry.passedOver(), topOfLeaf, topClusters);
    }

    /** The quota planner's running sum of squared leaf distances (drift metric). */
    double distanceSqSum() {
        return carry == null ? 0 : carry.distanceSqSum();
    }
}
