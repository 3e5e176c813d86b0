package dev.strata.sampling;

import dev.strata.model.ClusterTree;

/**
 * Hierarchical balanced quotas: water-filling of the target over the top clusters, then inside
 * every cluster over its children, down to the leaves. Both the batch selection and the
 * streaming job derive their quotas here, so they cannot disagree on the split.
 */
public final class QuotaPlan {
    private final long[][] quotas;

    private QuotaPlan(long[][] quotas) {
        this.quotas = quotas;
    }

    /**
     * @param leafSizes how many items each leaf can give (live counts for a batch selection,
     *                  scaled pool sizes for streaming)
     * @param seed      seed of the remainder order (the same seed gives the same split)
     */
    public static QuotaPlan compute(ClusterTree tree, long[] leafSizes, long target, long seed) {
        int depth = tree.depth();
        if (leafSizes.length != tree.leaves().clusters()) {
            throw new IllegalArgumentException(leafSizes.length + " leaf sizes for " + tree.leaves().clusters() + " leaves");
        }
        long[][] sizes = new long[depth][];
        sizes[0] = leafSizes.clone();
        for (int t = 1; t < depth; t++) {
            sizes[t] = new long[tree.levels().get(t).clusters()];
            int[] parent = tree.levels().get(t - 1).parent();
            for (int c = 0; c < parent.length; c++) {
                sizes[t][parent[c]] += sizes[t - 1][c];
            }
        }
        long[][] quotas = new long[depth][];
        quotas[depth - 1] = WaterFilling.split(target, sizes[depth - 1], salt(seed, depth));
        for (int t = depth - 1; t >= 1; t--) {
            int[][] children = tree.children(t + 1);
            long[] below = new long[sizes[t - 1].length];
            for (int p = 0; p < children.length; p++) {
                int[] kids = children[p];
                long[] kidSizes = new long[kids.length];
                for (int i = 0; i < kids.length; i++) {
                    kidSizes[i] = sizes[t - 1][kids[i]];
                }
                long[] split = WaterFilling.split(quotas[t][p], kidSizes, kids, salt(seed, t));
                for (int i = 0; i < kids.length; i++) {
                    below[kids[i]] = split[i];
                }
            }
            quotas[t - 1] = below;
        }
        return new QuotaPlan(quotas);
    }

    private static long salt(long seed, int level) {
        return seed * 31 + level;
    }

    /** Quota of every cluster of a level (1 = leaves). */
    public long[] quotas(int level) {
        return quotas[level - 1];
    }

    public long[] leafQuotas() {
        return quotas[0];
    }

    public long total() {
        long s = 0;
        for (long q : quotas[quotas.length - 1]) {
            s += q;
        }
        return s;
    }
}
