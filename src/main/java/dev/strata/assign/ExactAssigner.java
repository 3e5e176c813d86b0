package dev.strata.assign;

import dev.strata.model.ClusterTree;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.NearestCentroids;
import dev.strata.vector.PreparedCentroids;

/**
 * Exact leaf assignment: the nearest leaf centroid, through the blocked kernel. The leaf table is
 * prepared once here, because the streaming job calls {@link #assign} on batches of 1-256 rows
 * thousands of times a second, and preparing 10k leaves per call costs as much as the products.
 */
public final class ExactAssigner implements LeafAssigner {
    private final ClusterTree tree;
    private final NearestCentroids nearest;
    private final PreparedCentroids leaves;

    public ExactAssigner(ClusterTree tree, NearestCentroids nearest) {
        this.tree = tree;
        this.nearest = nearest;
        this.leaves = nearest.prepare(tree.leaves().centroids());
    }

    @Override
    public LeafAssignment assign(FloatMatrix rows) {
        return assign(rows, Progress.silent());
    }

    public LeafAssignment assign(FloatMatrix rows, Progress progress) {
        FloatMatrix queries = Queries.forModel(tree, rows);
        int[] leaf = new int[rows.rows()];
        float[] dist = new float[rows.rows()];
        nearest.assign(queries, leaves, leaf, dist, progress);
        return new LeafAssignment(leaf, dist);
    }
}
