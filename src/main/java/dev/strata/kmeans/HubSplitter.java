package dev.strata.kmeans;

import dev.strata.vector.FloatMatrix;
import java.util.Arrays;

/**
 * Dissolves a hub at an upper level of the tree: one cluster holding many times its share of the
 * level's inputs while other clusters hold one input or none (docs/algorithm.md, section 4).
 *
 * <p>Why hubs form there: the inputs of level t > 1 are centroids, and distinct concepts' centroids
 * are nearly equidistant in high dimension. An input that lies between concepts (a leaf that mixes
 * two) is nearer to every other input than they are to each other, so greedy k-means++ picks it
 * (it lowers the potential of everyone) and the first assignment sends it a large share of the
 * level; its centroid, a mean of many near-orthogonal vectors, stays nearest to all of them, and
 * Lloyd keeps the hub. k-means' objective barely depends on how such inputs are grouped, so it
 * does not resist. Each split moves an empty or singleton cluster onto the hub (the hub's centroid
 * nudged apart in opposite directions, as FAISS splits clusters to fill empty ones) and runs Lloyd
 * again, until no cluster is a hub.
 *
 * <p>A large cluster whose members are closer to its centroid than a typical cluster's (many leaves
 * of one dense concept) is left alone: it is what resampling is meant to produce.
 */
final class HubSplitter {
    /** A hub holds more than this many times the mean number of inputs per cluster. */
    static final double HUB_FACTOR = 8;

    private static final float NUDGE = 1f / 1024;

    private final KMeans kmeans;

    HubSplitter(KMeans kmeans) {
        this.kmeans = kmeans;
    }

    /** The result with its hubs split, and how many splits that took. */
    record Outcome(KMeansResult result, int splits, int largestBefore) {}

    Outcome split(FloatMatrix input, KMeansResult result, KMeansConfig cfg) {
        int k = result.centroids().rows();
        double mean = (double) input.rows() / k;
        int splits = 0;
        int largestBefore = -1;
        for (int attempt = 0; attempt < k; attempt++) {
            int[] count = new int[k];
            double[] spread = new double[k];
            for (int i = 0; i < input.rows(); i++) {
                count[result.assignment()[i]]++;
                spread[result.assignment()[i]] += result.distanceSq()[i];
            }
            int hub = 0;
            for (int c = 1; c < k; c++) {
                if (count[c] > count[hub]) {
                    hub = c;
                }
            }
            if (largestBefore < 0) {
                largestBefore = count[hub];
            }
            int small = smallCluster(count);
            if (count[hub] <= HUB_FACTOR * mean
                    || count[hub] < 4
                    || small < 0
                    || spread[hub] / count[hub] < medianSpread(count, spread)) {
                break;
            }
            FloatMatrix centroids = result.centroids().copy();
            int d = input.dim();
            float[] c = centroids.data();
            for (int j = 0; j < d; j++) {
                float v = c[hub * d + j];
                float up = j % 2 == 0 ? 1 + NUDGE : 1 - NUDGE;
                float down = j % 2 == 0 ? 1 - NUDGE : 1 + NUDGE;
                c[small * d + j] = v * up;
                c[hub * d + j] = v * down;
            }
            result = kmeans.fit(input, cfg, centroids);
            splits++;
        }
        return new Outcome(result, splits, largestBefore);
    }

    /** An empty cluster if there is one, else a singleton; the lowest index; -1 if none. */
    private static int smallCluster(int[] count) {
        int singleton = -1;
        for (int c = 0; c < count.length; c++) {
            if (count[c] == 0) {
                return c;
            }
            if (count[c] == 1 && singleton < 0) {
                singleton = c;
            }
        }
        return singleton;
    }

    /** Median over clusters with at least two members of their mean squared distance to the centroid. */
    private static double medianSpread(int[] count, double[] spread) {
        double[] v = new double[count.length];
        int m = 0;
        for (int c = 0; c < count.length; c++) {
            if (count[c] >= 2) {
                v[m++] = spread[c] / count[c];
            }
        }
        if (m == 0) {
            return 0;
        }
        double[] s = Arrays.copyOf(v, m);
        Arrays.sort(s);
        return s[m / 2];
    }
}
