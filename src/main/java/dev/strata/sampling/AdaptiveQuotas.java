package dev.strata.sampling;

/**
 * Quotas that follow the stream instead of the pool (adaptive admission, docs/algorithm.md
 * section 5): the final count of each cluster is estimated as what it has received so far plus
 * its share of the remaining horizon, and the target is water-filled over those estimates.
 *
 * <p>The remaining horizon (V minus everything seen) is split by the <em>observed</em> shares,
 * smoothed toward the pool's shares by a prior of {@link #PRIOR_PER_CLUSTER} pseudo-items per
 * cluster. Observed shares, because a drifted stream keeps drifting the same way far more often
 * than it swings back to the pool; the prior, because with a handful of items seen a cluster
 * that has received nothing yet must not be written off. The prior fades as soon as the stream
 * has shown each cluster a few items.
 */
public final class AdaptiveQuotas {
    /** Pseudo-items of the pool's shape per sibling cluster in the share estimate. */
    public static final double PRIOR_PER_CLUSTER = 1.0;

    private AdaptiveQuotas() {}

    /**
     * Remaining items expected in each sibling: {@code remaining * p_i}, p_i = (seen_i + M pool_i /
     * sum(pool)) / (sum(seen) + M) with M = {@link #PRIOR_PER_CLUSTER} times the number of siblings.
     * A sibling set whose pool is empty takes a uniform prior.
     */
    public static double[] remainingShares(long[] seen, long[] pool, long remaining) {
        int n = seen.length;
        double[] out = new double[n];
        if (n == 0 || remaining <= 0) {
            return out;
        }
        double seenSum = 0;
        double poolSum = 0;
        for (int i = 0; i < n; i++) {
            seenSum += seen[i];
            poolSum += pool[i];
        }
        double prior = PRIOR_PER_CLUSTER * n;
        for (int i = 0; i < n; i++) {
            double poolShare = poolSum > 0 ? pool[i] / poolSum : 1.0 / n;
            out[i] = remaining * (seen[i] + prior * poolShare) / (seenSum + prior);
        }
        return out;
    }

    /**
     * {@link #remainingShares} rounded to whole items so that they still add up to {@code remaining}
     * (largest remainders first, ties to the lower index). Rounding each share on its own can make
     * the estimates add up to more than V: with T = V the water level would then cut the largest
     * clusters below their estimate and admission would refuse items the target needs.
     */
    public static long[] roundedShares(long[] seen, long[] pool, long remaining) {
        double[] rest = remainingShares(seen, pool, remaining);
        long[] out = new long[rest.length];
        long given = 0;
        for (int i = 0; i < rest.length; i++) {
            out[i] = (long) Math.floor(rest[i]);
            given += out[i];
        }
        long left = Math.max(0, remaining) - given;
        if (left > 0) {
            // one more to the largest fractional parts, ties to the lower index
            long[] keys = new long[rest.length];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = SmallestKeys.descending(rest[i] - out[i]);
            }
            boolean[] more = SmallestKeys.first(keys, (int) Math.min(left, keys.length));
            for (int i = 0; i < more.length; i++) {
                if (more[i]) {
                    out[i]++;
                }
            }
        }
        return out;
    }

    /**
     * Top-level budgets: T water-filled over seen + expected remaining per top cluster, with the
     * remainder order of {@link QuotaPlan} (so that with no arrivals yet the plan is the fixed one
     * up to rounding). For a run that continues another (a model swap), {@code unavailableTop} are
     * items the old run consumed and did not keep. They count toward the horizon (V minus everything
     * seen) and toward the shares of what is still to come, but no longer toward what a cluster can
     * give: its estimate is what it kept plus what it gets from now on, so the water level rises
     * over the clusters that can still fill their budget instead of leaving budget with one whose
     * candidates went by in the old run.
     *
     * @param seenTop items seen so far per top cluster
     * @param unavailableTop per top cluster, items seen that can no longer be selected; null for none
     * @param poolTop the model's pool size per top cluster
     * @param volume  V, the items expected over the horizon
     */
    public static TopBudgets topBudgets(
            long[] seenTop, long[] unavailableTop, long[] poolTop, long volume, long target, long seed, int depth) {
        long seen = 0;
        for (long s : seenTop) {
            seen += s;
        }
        long remaining = Math.max(0, volume - seen);
        long[] restRounded = roundedShares(seenTop, poolTop, remaining);
        long[] estimate = new long[seenTop.length];
        for (int i = 0; i < estimate.length; i++) {
            long gone = unavailableTop == null ? 0 : unavailableTop[i];
            estimate[i] = seenTop[i] - gone + restRounded[i];
        }
        long[] budgets = WaterFilling.split(target, estimate, QuotaPlan.salt(seed, depth));
        return new TopBudgets(seen, budgets, restRounded, level(budgets, estimate));
    }

    /**
     * The water level of a split: the budget of the clusters it cut (the smallest, when the
     * remainder gave some one more), or {@link Long#MAX_VALUE} when it cut none (the target covers
     * every estimate). A cluster below the level is planned to keep all it receives.
     */
    static long level(long[] budgets, long[] estimate) {
        long level = Long.MAX_VALUE;
        for (int i = 0; i < budgets.length; i++) {
            if (budgets[i] < estimate[i]) {
                level = Math.min(level, budgets[i]);
            }
        }
        return level;
    }

    /**
     * @param seen      items the plan counted (all top clusters)
     * @param budgets   budget per top cluster; their sum is min(T, estimated volume)
     * @param remaining items still expected per top cluster
     * @param level     the water level: a cluster whose estimate is below it keeps everything it gets
     */
    public record TopBudgets(long seen, long[] budgets, long[] remaining, long level) {}
}
