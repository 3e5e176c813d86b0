package dev.strata.sampling;

import dev.strata.model.ClusterTree;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The parent/child structure of a cluster tree, indexed once: children per cluster and the
 * clusters under every top cluster per level. Quotas are recomputed often in streaming; this
 * keeps each recomputation proportional to the subtree, not to the tree.
 */
public final class TreeShape implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[][] parents; // [level-1][cluster] -> parent index, -1 at top
    private final int[][][] children; // [level-1][cluster] -> children at level-1 (null at level 1)
    private final int[][][] under; // [top][level-1] -> clusters of that level under the top

    public TreeShape(ClusterTree tree) {
        int depth = tree.depth();
        parents = new int[depth][];
        children = new int[depth][][];
        for (int t = 0; t < depth; t++) {
            parents[t] = tree.levels().get(t).parent().clone();
            children[t] = t == 0 ? null : tree.children(t + 1);
        }
        int tops = tree.top().clusters();
        under = new int[tops][depth][];
        for (int top = 0; top < tops; top++) {
            under[top][depth - 1] = new int[] {top};
            for (int t = depth - 1; t >= 1; t--) {
                List<Integer> below = new ArrayList<>();
                for (int c : under[top][t]) {
                    for (int k : children[t][c]) {
                        below.add(k);
                    }
                }
                under[top][t - 1] = below.stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    public int depth() {
        return parents.length;
    }

    public int clusters(int level) {
        return parents[level - 1].length;
    }

    public int parent(int level, int cluster) {
        return parents[level - 1][cluster];
    }

    public int[] children(int level, int cluster) {
        return children[level - 1][cluster];
    }

    public int[] leavesUnder(int top) {
        return under[top][0];
    }

    public int[] clustersUnder(int top, int level) {
        return under[top][level - 1];
    }

    /** Sizes of every cluster of every level from leaf sizes. */
    public long[][] aggregate(long[] leafSizes) {
        long[][] sizes = new long[depth()][];
        sizes[0] = leafSizes.clone();
        for (int t = 1; t < depth(); t++) {
            sizes[t] = new long[clusters(t + 1)];
            for (int c = 0; c < sizes[t - 1].length; c++) {
                sizes[t][parents[t - 1][c]] += sizes[t - 1][c];
            }
        }
        return sizes;
    }

    /** The top cluster above a leaf. */
    public int topOf(int leaf) {
        int c = leaf;
        for (int t = 0; t < depth() - 1; t++) {
            c = parents[t][c];
        }
        return c;
    }
}
