package dev.strata.assign;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.NearestCentroids;

/** Exact leaf assignment: the nearest leaf centroid, through the blocked kernel. */
public final class ExactAssigner implements LeafAssigner {
    private final ClusterTree tree;
    private final NearestCentroids nearest;

    public ExactAssigner(ClusterTree tree, NearestCentroids nearest) {
        this.tree = tree;
        this.nearest = nearest;
    }

    @Override
    public LeafAssignment assign(FloatMatrix rows) {
        return assign(rows, Progress.silent());
    }

    public LeafAssignment assign(FloatMatrix rows, Progress progress) {
        if (rows.dim() != tree.dim()) {
            throw new StrataException("input has dimension " + rows.dim() + " but the model was built on dimension "
                    + tree.dim() + "; use the model bootstrapped on this kind of embedding");
        }
        FloatMatrix queries = rows;
        if (tree.metric() == Metric.COSINE) {
            queries = rows.copy();
            queries.normalizeRows();
        }
        int[] leaf = new int[rows.rows()];
        float[] dist = new float[rows.rows()];
        nearest.assign(queries, tree.leaves().centroids(), leaf, dist, progress);
        return new LeafAssignment(leaf, dist);
    }
}
