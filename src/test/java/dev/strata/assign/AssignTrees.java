package dev.strata.assign;

import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Trees built by HierarchicalKMeans, and brute-force references, for the assigner tests. */
final class AssignTrees {
    private AssignTrees() {}

    static ClusterTree build(FloatMatrix data, Metric metric, long seed, int... clusters) {
        List<LevelSpec> levels = new ArrayList<>();
        for (int k : clusters) {
            levels.add(new LevelSpec(k, 0, 0));
        }
        try (KMeans km = new KMeans(Kernels.fastest(), 1, Progress.silent())) {
            return new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            data,
                            levels,
                            new KMeansConfig(1, 8, 0, Init.KMEANS_PLUS_PLUS, metric, seed),
                            Resampling.CLOSEST,
                            null);
        }
    }

    /**
     * Points around {@code blobs} centres far apart (spread 20 per coordinate, noise 1): row i
     * belongs to blob i % blobs. Two calls with the same centre seed and different noise seeds
     * give a training set and held-out rows from the same distribution.
     */
    static FloatMatrix blobs(int blobs, int rows, int dim, long centreSeed, long noiseSeed) {
        Random centres = new Random(centreSeed);
        float[] c = new float[blobs * dim];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (centres.nextGaussian() * 20);
        }
        Random noise = new Random(noiseSeed);
        float[] d = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            int b = i % blobs;
            for (int j = 0; j < dim; j++) {
                d[i * dim + j] = c[b * dim + j] + (float) noise.nextGaussian();
            }
        }
        return new FloatMatrix(d, rows, dim);
    }

    /** Nearest leaf by a double-precision difference loop; ties to the lowest index. */
    static int bruteForceLeaf(ClusterTree tree, float[] row) {
        FloatMatrix leaves = tree.leaves().centroids();
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int c = 0; c < leaves.rows(); c++) {
            double d = distanceSq(row, leaves.row(c));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    static double distanceSq(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double v = (double) a[k] - b[k];
            s += v * v;
        }
        return s;
    }

    static float[] unit(float[] row) {
        double s = 0;
        for (float v : row) {
            s += (double) v * v;
        }
        float[] out = row.clone();
        float inv = (float) (1.0 / Math.sqrt(s));
        for (int k = 0; k < out.length; k++) {
            out[k] *= inv;
        }
        return out;
    }
}
