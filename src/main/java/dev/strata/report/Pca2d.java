package dev.strata.report;

import dev.strata.vector.FloatMatrix;
import java.util.Optional;
import org.ojalgo.matrix.decomposition.Eigenvalue;
import org.ojalgo.matrix.store.R064Store;

/**
 * The first two principal components of a set of points (the top centroids), for a 2-D map.
 * Works on the k x k Gram matrix of the centred points rather than the d x d covariance: a model
 * has far fewer top clusters than dimensions (tens to thousands against 768 or 1024), and the
 * scores come straight out of it: if G u = lambda u, the points' coordinates on that component
 * are sqrt(lambda) u. ojalgo does the symmetric eigen decomposition.
 */
public final class Pca2d {
    private Pca2d() {}

    /** Coordinates of every row of {@code points} on the first two components: k rows of {x, y}. */
    public static double[][] project(FloatMatrix points) {
        int k = points.rows();
        int d = points.dim();
        double[][] out = new double[k][2];
        if (k < 2) {
            return out;
        }
        double[] mean = new double[d];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += points.get(i, j);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= k;
        }
        double[][] centred = new double[k][d];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                centred[i][j] = points.get(i, j) - mean[j];
            }
        }
        R064Store gram = R064Store.FACTORY.make(k, k);
        for (int a = 0; a < k; a++) {
            for (int b = a; b < k; b++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += centred[a][j] * centred[b][j];
                }
                gram.set(a, b, dot);
                gram.set(b, a, dot);
            }
        }
        Eigenvalue<Double> eig = Eigenvalue.R064.make(gram, true);
        if (!eig.decompose(gram)) {
            throw new IllegalStateException("the eigen decomposition of the " + k + " x " + k + " Gram matrix failed");
        }
        double[] values = new double[k];
        eig.getEigenvalues(values, Optional.empty());
        int first = -1;
        int second = -1;
        for (int c = 0; c < k; c++) {
            if (first < 0 || values[c] > values[first]) {
                second = first;
                first = c;
            } else if (second < 0 || values[c] > values[second]) {
                second = c;
            }
        }
        var v = eig.getV();
        int[] components = {first, second};
        for (int axis = 0; axis < 2; axis++) {
            int c = components[axis];
            // rounding can leave a zero eigenvalue slightly negative: that component spreads nothing
            double scale = Math.sqrt(Math.max(0, values[c]));
            for (int i = 0; i < k; i++) {
                out[i][axis] = scale * v.doubleValue(i, c);
            }
        }
        return out;
    }
}
