package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.AdaptiveQuotas;
import dev.strata.sampling.DriftFigures;
import dev.strata.sampling.StreamQuotas;

/**
 * The global step of adaptive admission, Flink-free: top-level budgets from the arrivals per top
 * cluster seen so far ({@link AdaptiveQuotas#topBudgets}). The {@link QuotaPlanner} operator,
 * the admission's plan before the first broadcast, and the drift benchmark all plan here.
 */
public final class TopPlanner {
    private final long[] poolTop;
    private final long volume;
    private final long target;
    private final long seed;
    private final int depth;
    private final double poolLeafDistanceSq;
    private final long[] unavailableTop;

    public TopPlanner(ClusterTree tree, StreamQuotas quotas, long seed) {
        this(tree, quotas, seed, null);
    }

    /**
     * The planner of a run that continues another (quota.carryOver): {@code unavailableTop} per top
     * cluster are the items the old run consumed and did not keep, which the budgets no longer
     * count on ({@link AdaptiveQuotas#topBudgets(long[], long[], long[], long, long, long, int)}).
     */
    public TopPlanner(ClusterTree tree, StreamQuotas quotas, long seed, long[] unavailableTop) {
        this.unavailableTop = unavailableTop;
        this.poolTop = tree.top().size().clone();
        this.volume = quotas.volume();
        this.target = quotas.target();
        this.seed = seed;
        this.depth = tree.depth();
        this.poolLeafDistanceSq = tree.poolLeafDistanceSq();
    }

    public int topClusters() {
        return poolTop.length;
    }

    public long target() {
        return target;
    }

    public TopPlan plan(long[] seenTop, long nowMillis) {
        return plan(seenTop, volume, nowMillis);
    }

    /** The plan for an expected volume other than the configured one (a window's estimate of V). */
    public TopPlan plan(long[] seenTop, long expectedVolume, long nowMillis) {
        AdaptiveQuotas.TopBudgets b =
                AdaptiveQuotas.topBudgets(seenTop, unavailableTop, poolTop, expectedVolume, target, seed, depth);
        // the same split with no horizon left: what the stream would get if it ended now
        AdaptiveQuotas.TopBudgets end =
                AdaptiveQuotas.topBudgets(seenTop, unavailableTop, poolTop, 0, target, seed, depth);
        TopPlan p = new TopPlan(b.seen(), b.budgets(), b.remaining(), b.level(), end.budgets(), end.level(), nowMillis);
        p.volume = expectedVolume;
        return p;
    }

    /** The plan before anything has arrived: the pool's shares over V. */
    public TopPlan initial() {
        return plan(new long[poolTop.length], 0);
    }

    /**
     * Total variation distance between the shares of arrivals per top cluster and the pool's
     * shares the model was built on: the fraction of arrivals that would have to move to another
     * top cluster for the stream to look like the pool (0 = same proportions, 1 = disjoint).
     */
    public double divergence(long[] seenTop) {
        return DriftFigures.totalVariation(seenTop, poolTop);
    }

    /** The arrivals' mean squared distance to their leaf centroid over the pool's (NaN if the model lacks it). */
    public double distanceRatio(double distanceSqSum, long items) {
        return DriftFigures.distanceRatio(distanceSqSum, items, poolLeafDistanceSq);
    }
}
