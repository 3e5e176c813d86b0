package dev.strata.sampling;

import dev.strata.model.ClusterTree;

/**
 * Hierarchical balanced quotas: water-filling of the target over the top clusters, then inside
 * every cluster over its children, down to the leaves. The batch selection and both streaming
 * modes derive their quotas here, so they cannot disagree on a split: the split over clusters
 * of level l always uses the remainder seed {@code salt(seed, l)}.
 */
public final class QuotaPlan {
    private final TreeShape shape;
    private final long seed;
    private final long[][] quotas;

    private QuotaPlan(TreeShape shape, long seed, long[][] quotas) {
        this.shape = shape;
        this.seed = seed;
        this.quotas = quotas;
    }

    /**
     * @param leafSizes how many items each leaf can give (live counts for a batch selection,
     *                  scaled pool sizes for streaming)
     * @param seed      seed of the remainder order (the same seed gives the same split)
     */
    public static QuotaPlan compute(ClusterTree tree, long[] leafSizes, long target, long seed) {
        return compute(new TreeShape(tree), leafSizes, target, seed);
    }

    public static QuotaPlan compute(TreeShape shape, long[] leafSizes, long target, long seed) {
        if (leafSizes.length != shape.clusters(1)) {
            throw new IllegalArgumentException(leafSizes.length + " leaf sizes for " + shape.clusters(1) + " leaves");
        }
        int depth = shape.depth();
        long[][] sizes = shape.aggregate(leafSizes);
        long[][] quotas = new long[depth][];
        for (int t = 0; t < depth; t++) {
            quotas[t] = new long[sizes[t].length];
        }
        quotas[depth - 1] = WaterFilling.split(target, sizes[depth - 1], salt(seed, depth));
        for (int top = 0; top < quotas[depth - 1].length; top++) {
            fillDown(shape, depth, top, quotas[depth - 1][top], sizes, quotas, seed);
        }
        return new QuotaPlan(shape, seed, quotas);
    }

    /** Splits {@code budget} of cluster c at level l over its descendants, writing their quotas. */
    private static void fillDown(
            TreeShape shape, int level, int c, long budget, long[][] sizes, long[][] quotas, long seed) {
        if (level == 1) {
            return;
        }
        int[] kids = shape.children(level, c);
        long[] kidSizes = new long[kids.length];
        for (int i = 0; i < kids.length; i++) {
            kidSizes[i] = sizes[level - 2][kids[i]];
        }
        long[] split = WaterFilling.split(budget, kidSizes, kids, salt(seed, level - 1));
        for (int i = 0; i < kids.length; i++) {
            quotas[level - 2][kids[i]] = split[i];
            fillDown(shape, level - 1, kids[i], split[i], sizes, quotas, seed);
        }
    }

    /**
     * Leaf quotas inside one top cluster for a budget over live leaf counts: what the exact
     * streaming mode recomputes as items arrive. Only the subtree's entries of the returned
     * array are meaningful; {@code leafCounts} is indexed by leaf.
     */
    public static long[] subtreeLeafQuotas(TreeShape shape, int top, long budget, long[] leafCounts, long seed) {
        long[][] sizes = new long[shape.depth()][];
        long[][] quotas = new long[shape.depth()][];
        for (int t = 0; t < shape.depth(); t++) {
            sizes[t] = new long[shape.clusters(t + 1)];
            quotas[t] = new long[shape.clusters(t + 1)];
        }
        subtreeLeafQuotas(shape, top, budget, leafCounts, seed, sizes, quotas);
        return quotas[0];
    }

    /**
     * The same with caller-owned scratch arrays ([level-1][cluster]), so the per-item path of the
     * streaming job allocates nothing proportional to the tree. Writes quotas[0][leaf] for every
     * leaf under {@code top}; entries outside the subtree are left as they were.
     */
    public static void subtreeLeafQuotas(
            TreeShape shape, int top, long budget, long[] leafCounts, long seed, long[][] sizes, long[][] quotas) {
        int depth = shape.depth();
        if (depth == 1) {
            quotas[0][top] = budget;
            return;
        }
        for (int leaf : shape.leavesUnder(top)) {
            sizes[0][leaf] = leafCounts[leaf];
        }
        for (int t = 2; t <= depth; t++) {
            for (int c : shape.clustersUnder(top, t)) {
                sizes[t - 1][c] = 0;
            }
        }
        for (int t = 1; t < depth; t++) {
            for (int c : shape.clustersUnder(top, t)) {
                sizes[t][shape.parent(t, c)] += sizes[t - 1][c];
            }
        }
        fillDown(shape, depth, top, budget, sizes, quotas, seed);
    }

    static long salt(long seed, int level) {
        return seed * 31 + level;
    }

    /** Quota of every cluster of a level (1 = leaves). */
    public long[] quotas(int level) {
        return quotas[level - 1];
    }

    public long[] leafQuotas() {
        return quotas[0];
    }

    public long[] topQuotas() {
        return quotas[quotas.length - 1];
    }

    public TreeShape shape() {
        return shape;
    }

    public long seed() {
        return seed;
    }

    public long total() {
        long s = 0;
        for (long q : topQuotas()) {
            s += q;
        }
        return s;
    }
}
