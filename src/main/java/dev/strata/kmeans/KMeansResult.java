package dev.strata.kmeans;

import dev.strata.vector.FloatMatrix;

/**
 * The outcome of one k-means run: centroids, and every row's nearest centroid under those
 * final centroids (not the assignment of the last Lloyd step, so sizes agree with any later
 * nearest-centroid lookup).
 */
public record KMeansResult(
        FloatMatrix centroids, int[] assignment, float[] distanceSq, int iterationsRun, double objective) {

    public long[] clusterSizes() {
        long[] sizes = new long[centroids.rows()];
        for (int a : assignment) {
            sizes[a]++;
        }
        return sizes;
    }
}
