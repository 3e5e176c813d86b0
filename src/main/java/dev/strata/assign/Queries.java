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

    /**
     * Squared norm accumulated in double like FloatMatrix.squaredNorm (NearestCentroids' row norms),
     * but in four sums, so a beam distance can differ from the exact path's in the last bits.
     */
    static float normSquared(float[] a, int off, int dim) {
        // four independent sums: one chain of dim dependent additions took about 1 µs a row at
        // d = 768, a tenth of the whole beam-2 descent (JFR, docs/benchmarks.md)
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 4 <= dim; k += 4) {
            double v0 = a[off + k];
            double v1 = a[off + k + 1];
            double v2 = a[off + k + 2];
            double v3 = a[off + k + 3];
            s0 += v0 * v0;
            s1 += v1 * v1;
            s2 += v2 * v2;
            s3 += v3 * v3;
        }
        for (; k < dim; k++) {
            double v = a[off + k];
            s0 += v * v;
        }
        return (float) ((s0 + s1) + (s2 + s3));
    }
}
