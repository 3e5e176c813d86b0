package dev.strata.model;

import dev.strata.vector.FloatMatrix;

/**
 * One level of the cluster tree.
 *
 * @param centroids one row per cluster, in the embedding space
 * @param parent    index of each cluster's parent in the next level up; -1 on the top level
 * @param size      number of pool points beneath each cluster
 */
public record ClusterLevel(FloatMatrix centroids, int[] parent, long[] size) {
    public ClusterLevel {
        if (parent.length != centroids.rows() || size.length != centroids.rows()) {
            throw new IllegalArgumentException("level arrays disagree: " + centroids.rows() + " centroids, "
                    + parent.length + " parents, " + size.length + " sizes");
        }
    }

    public int clusters() {
        return centroids.rows();
    }

    public long totalSize() {
        long s = 0;
        for (long v : size) {
            s += v;
        }
        return s;
    }
}
