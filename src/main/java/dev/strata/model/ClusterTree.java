package dev.strata.model;

import java.util.List;

/**
 * The model: the tree of hierarchical k-means. Level 1 (index 0) holds the leaves, the last
 * level the top clusters. Every level's centroids live in the embedding space, so an item can
 * be compared with any level directly (beam descent does that).
 *
 * @param version a content hash set when the model is written or read; empty before
 * @param poolLeafDistanceSq the mean squared distance of the pool's points to their leaf centroid
 *        (NaN when unknown: models written before it was recorded, hand-made trees); the job
 *        compares the stream's with it to see novel concepts (docs/operations.md, drift)
 */
public record ClusterTree(
        Metric metric,
        int dim,
        List<ClusterLevel> levels,
        BuildParams params,
        String version,
        double poolLeafDistanceSq) {

    /** A tree without the pool's leaf distance. */
    public ClusterTree(Metric metric, int dim, List<ClusterLevel> levels, BuildParams params, String version) {
        this(metric, dim, levels, params, version, Double.NaN);
    }

    public ClusterTree {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a cluster tree needs at least one level");
        }
        for (int t = 0; t < levels.size(); t++) {
            ClusterLevel level = levels.get(t);
            if (level.centroids().dim() != dim) {
                throw new IllegalArgumentException("level " + (t + 1) + " has dimension "
                        + level.centroids().dim() + ", model has " + dim);
            }
            int parents = t + 1 < levels.size() ? levels.get(t + 1).clusters() : 0;
            for (int p : level.parent()) {
                if (t + 1 < levels.size() ? (p < 0 || p >= parents) : p != -1) {
                    throw new IllegalArgumentException("level " + (t + 1) + " has a parent link out of range: " + p);
                }
            }
        }
    }

    public int depth() {
        return levels.size();
    }

    public ClusterLevel leaves() {
        return levels.get(0);
    }

    public ClusterLevel top() {
        return levels.get(levels.size() - 1);
    }

    /** level is 1-based: 1 = leaves, depth() = top. */
    public ClusterLevel level(int level) {
        return levels.get(level - 1);
    }

    public ClusterTree withVersion(String v) {
        return new ClusterTree(metric, dim, levels, params, v, poolLeafDistanceSq);
    }

    public ClusterTree withPoolLeafDistanceSq(double d) {
        return new ClusterTree(metric, dim, levels, params, version, d);
    }

    /** The cluster path of a leaf: leaf, its parent, ..., its top cluster. */
    public int[] pathOf(int leaf) {
        int[] path = new int[levels.size()];
        int c = leaf;
        for (int t = 0; t < levels.size(); t++) {
            path[t] = c;
            c = levels.get(t).parent()[c];
        }
        return path;
    }

    /** Top-level cluster of every leaf, resolved once. */
    public int[] topOfLeaves() {
        int[] top = new int[leaves().clusters()];
        for (int leaf = 0; leaf < top.length; leaf++) {
            int c = leaf;
            for (int t = 0; t < levels.size() - 1; t++) {
                c = levels.get(t).parent()[c];
            }
            top[leaf] = c;
        }
        return top;
    }

    /** Children of every cluster of a level (level >= 2), in index order. */
    public int[][] children(int level) {
        ClusterLevel below = level(level - 1);
        int k = level(level).clusters();
        int[] count = new int[k];
        for (int p : below.parent()) {
            count[p]++;
        }
        int[][] out = new int[k][];
        for (int c = 0; c < k; c++) {
            out[c] = new int[count[c]];
        }
        int[] fill = new int[k];
        for (int child = 0; child < below.clusters(); child++) {
            int p = below.parent()[child];
            out[p][fill[p]++] = child;
        }
        return out;
    }
}
