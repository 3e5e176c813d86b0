package dev.strata.sampling;

/**
 * Leaf quotas inside one top cluster under adaptive admission: each leaf's final count is
 * estimated as seen + its share of the top cluster's remaining items ({@link AdaptiveQuotas}),
 * and the top cluster's budget is water-filled down the subtree over those estimates, the way
 * {@link QuotaPlan} does it for the batch selection. Holds scratch arrays so that the per-item
 * path allocates nothing proportional to the tree; one instance per operator, not thread-safe.
 */
public final class SubtreeQuotas {
    private final TreeShape shape;
    private final long[][] poolUnder;
    private final long seed;
    private final long[][] sizes;
    private final long[][] quotas;
    private final long[] estimate;

    public SubtreeQuotas(TreeShape shape, long[] poolLeaves, long seed) {
        this.shape = shape;
        poolUnder = new long[shape.clusters(shape.depth())][];
        for (int top = 0; top < poolUnder.length; top++) {
            int[] leaves = shape.leavesUnder(top);
            poolUnder[top] = new long[leaves.length];
            for (int i = 0; i < leaves.length; i++) {
                poolUnder[top][i] = poolLeaves[leaves[i]];
            }
        }
        this.seed = seed;
        int depth = shape.depth();
        sizes = new long[depth][];
        quotas = new long[depth][];
        for (int t = 0; t < depth; t++) {
            sizes[t] = new long[shape.clusters(t + 1)];
            quotas[t] = new long[shape.clusters(t + 1)];
        }
        estimate = new long[shape.clusters(1)];
    }

    /**
     * Plans the leaves under {@code top}; read the result with {@link #quota} and {@link #expected}.
     *
     * @param seenByPos items seen per leaf, indexed by position in {@link TreeShape#leavesUnder}
     * @param remaining items still expected in this top cluster
     */
    public void plan(int top, long budget, long remaining, long[] seenByPos) {
        estimate(top, remaining, seenByPos, null);
        split(top, budget);
    }

    /**
     * First half of {@link #plan}: each leaf's estimated final count (seen + its share of
     * {@code remaining}, rounded so the shares still add up to it); returns their sum, the top
     * cluster's estimate. Items seen that can no longer be selected (a run that continues another:
     * consumed by the old run and not kept) shape the shares of the remaining items but not the
     * leaf's estimate, which is what it can still give.
     *
     * @param unavailableByPos per leaf, items seen that can no longer be selected; null for none
     */
    public long estimate(int top, long remaining, long[] seenByPos, long[] unavailableByPos) {
        int[] leaves = shape.leavesUnder(top);
        long[] rest = AdaptiveQuotas.roundedShares(seenByPos, poolUnder[top], remaining);
        long sum = 0;
        for (int i = 0; i < leaves.length; i++) {
            long gone = unavailableByPos == null ? 0 : unavailableByPos[i];
            estimate[leaves[i]] = seenByPos[i] - gone + rest[i];
            sum += estimate[leaves[i]];
        }
        return sum;
    }

    /** Second half of {@link #plan}: the budget water-filled down the subtree over the last estimates. */
    public void split(int top, long budget) {
        QuotaPlan.subtreeLeafQuotas(shape, top, budget, estimate, seed, sizes, quotas);
    }

    /** The leaf's quota from the last {@link #plan} of its top cluster. */
    public long quota(int leaf) {
        return quotas[0][leaf];
    }

    /** The leaf's estimated final count from the last {@link #plan} of its top cluster. */
    public long expected(int leaf) {
        return estimate[leaf];
    }
}
