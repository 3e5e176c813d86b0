package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HubSplitterTest {
    private static final int D = 256;

    /** A uniformly random direction in d dimensions. */
    static float[] unit(Random r, int d) {
        float[] v = new float[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            v[j] = (float) r.nextGaussian();
            norm += v[j] * v[j];
        }
        for (int j = 0; j < d; j++) {
            v[j] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** An upper level's input: leaf centroids of distinct concepts, and one leaf between two concepts. */
    private static FloatMatrix leafCentroids(int concepts, long seed) {
        Random r = new Random(seed);
        float[] x = new float[(concepts + 1) * D];
        for (int i = 0; i < concepts; i++) {
            System.arraycopy(unit(r, D), 0, x, i * D, D);
        }
        for (int j = 0; j < D; j++) {
            x[concepts * D + j] = (x[j] + x[D + j]) / 2;
        }
        return new FloatMatrix(x, concepts + 1, D);
    }

    private static int largest(KMeansResult r) {
        int max = 0;
        for (long s : r.clusterSizes()) {
            max = (int) Math.max(max, s);
        }
        return max;
    }

    @Test
    void aHubOfNearlyOrthogonalInputsIsSplit() {
        FloatMatrix input = leafCentroids(250, 7);
        // seed 2: one of the seeds (2, 3, 7, 10 of 1-11) where k-means++ draws the in-between input
        KMeansConfig cfg = new KMeansConfig(75, 50, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 2);
        try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
            KMeansResult plain = km.fit(input, cfg);
            double mean = input.rows() / 75.0;
            // greedy k-means++ picks the in-between input, and the first assignment makes it a hub
            assertTrue(largest(plain) > HubSplitter.HUB_FACTOR * mean, "the hub forms: largest " + largest(plain));
            HubSplitter.Outcome o = new HubSplitter(km).split(input, plain, cfg);
            assertTrue(o.splits() > 0);
            assertEquals(largest(plain), o.largestBefore());
            assertTrue(largest(o.result()) <= HubSplitter.HUB_FACTOR * mean, "largest after " + largest(o.result()));
            assertTrue(
                    o.result().objective() <= plain.objective() * 1.02,
                    "the split costs (almost) nothing in k-means' objective");
        }
    }

    @Test
    void aLargeTightClusterIsLeftAlone() {
        // 60 leaves of one dense concept (tiny spread) beside 60 distinct concepts: resampling's intended result
        Random r = new Random(3);
        float[] centre = unit(r, D);
        float[] x = new float[120 * D];
        for (int i = 0; i < 60; i++) {
            for (int j = 0; j < D; j++) {
                x[i * D + j] = centre[j] + (float) (r.nextGaussian() * 0.001);
            }
        }
        for (int i = 60; i < 120; i++) {
            System.arraycopy(unit(r, D), 0, x, i * D, D);
        }
        FloatMatrix input = new FloatMatrix(x, 120, D);
        KMeansConfig cfg = new KMeansConfig(40, 50, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 2);
        try (KMeans km = new KMeans(Kernels.fastest(), 1, Progress.silent())) {
            KMeansResult plain = km.fit(input, cfg);
            assertTrue(largest(plain) > HubSplitter.HUB_FACTOR * 3, "precondition: one cluster of " + largest(plain));
            HubSplitter.Outcome o = new HubSplitter(km).split(input, plain, cfg);
            assertEquals(0, o.splits());
            assertEquals(largest(plain), largest(o.result()));
        }
    }
}
