package dev.strata.sampling;

import dev.strata.model.ClusterTree;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Selects min(T, N) distinct rows balanced over the cluster tree (docs/algorithm.md, section 5): the
 * quotas come from {@link QuotaPlan} over the live leaf counts, then every leaf yields its quota
 * of rows, uniform or nearest to its centroid.
 */
public final class BalancedSelection {
    private BalancedSelection() {}

    /**
     * @param leafOf leaf of every row
     * @param distSq squared distance of every row to its leaf centroid (used by CLOSEST)
     * @return selected row indices, ascending
     */
    public static int[] select(
            ClusterTree tree, int[] leafOf, float[] distSq, long target, LeafStrategy strategy, long seed) {
        int leaves = tree.leaves().clusters();
        long[] counts = new long[leaves];
        for (int leaf : leafOf) {
            counts[leaf]++;
        }
        QuotaPlan plan = QuotaPlan.compute(tree, counts, target, seed);
        long[] quota = plan.leafQuotas();
        int[][] members = membersByLeaf(leafOf, leaves);
        int total = (int) plan.total();
        int[] out = new int[total];
        int size = 0;
        for (int leaf = 0; leaf < leaves; leaf++) {
            int q = (int) quota[leaf];
            if (q == 0) {
                continue;
            }
            int[] m = members[leaf];
            if (strategy == LeafStrategy.CLOSEST) {
                Integer[] boxed = Arrays.stream(m).boxed().toArray(Integer[]::new);
                // ties broken by row index so the batch and streaming "closest" pick the same rows
                Arrays.sort(
                        boxed,
                        (a, b) -> distSq[a] != distSq[b] ? Float.compare(distSq[a], distSq[b]) : Integer.compare(a, b));
                for (int i = 0; i < q; i++) {
                    out[size++] = boxed[i];
                }
            } else {
                SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (leaf + 1L)));
                for (int i = 0; i < q; i++) {
                    int j = i + rng.nextInt(m.length - i);
                    int tmp = m[i];
                    m[i] = m[j];
                    m[j] = tmp;
                    out[size++] = m[i];
                }
            }
        }
        Arrays.sort(out, 0, size);
        return size == out.length ? out : Arrays.copyOf(out, size);
    }

    static int[][] membersByLeaf(int[] leafOf, int leaves) {
        int[] count = new int[leaves];
        for (int leaf : leafOf) {
            count[leaf]++;
        }
        int[][] members = new int[leaves][];
        for (int l = 0; l < leaves; l++) {
            members[l] = new int[count[l]];
        }
        int[] fill = new int[leaves];
        for (int i = 0; i < leafOf.length; i++) {
            members[leafOf[i]][fill[leafOf[i]]++] = i;
        }
        return members;
    }
}
