package dev.strata.assign;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.vector.FloatMatrix;

/** Input checks and the cosine normalisation shared by the assigners, so both see the same query vectors. */
final class Queries {
    private Queries() {}

    static void checkDim(ClusterTree tree, FloatMatrix rows) {
        if (rows.dim() != tree.dim()) {
            throw new StrataException("input has dimension " + rows.dim() + " but the model was built on dimension "
                    + tree.dim() + "; use the model bootstrapped on this kind of embedding");
        }
    }

    /** The rows as the model compares them: unit rows for cosine (a copy; the caller's rows stay as given). */
    static FloatMatrix forModel(ClusterTree tree, FloatMatrix rows) {
        checkDim(tree, rows);
        if (tree.metric() != Metric.COSINE) {
            return rows;
        }
        FloatMatrix unit = rows.copy();
        unit.normalizeRows();
        return unit;
    }

    /**
     * Copies rows [0, rows.rows()) into {@code out} and normalises each to unit length, with the same
     * arithmetic as {@link FloatMatrix#normalizeRows()} so both assigners get bitwise equal queries.
     */
    static void normalizedInto(FloatMatrix rows, float[] out) {
        System.arraycopy(rows.data(), 0, out, 0, rows.rows() * rows.dim());
        FloatMatrix.normalizeRows(out, rows.rows(), rows.dim());
    }

    /** Squared norm accumulated in double, as NearestCentroids does, so distances match the exact path. */
    static float normSquared(float[] a, int off, int dim) {
        double s = 0;
        for (int k = 0; k < dim; k++) {
            double v = a[off + k];
            s += v * v;
        }
        return (float) s;
    }
}
