package dev.strata.bootstrap.flink;

import dev.strata.vector.FloatMatrix;

/** Level 1 as built across the TaskManagers: the leaves, the pool rows under each, their mean distance. */
public class LevelOne {
    public int k;
    public int dim;
    public float[] centroids;
    public long[] sizes;
    /** The pool's mean squared distance to its leaf centroid (the model header's pool_leaf_distance_sq). */
    public double leafDistanceSq;

    public LevelOne() {}

    static LevelOne of(FloatMatrix centroids, long[] sizes, double distanceSum) {
        LevelOne l = new LevelOne();
        l.k = centroids.rows();
        l.dim = centroids.dim();
        l.centroids = centroids.data();
        l.sizes = sizes;
        long n = 0;
        for (long s : sizes) {
            n += s;
        }
        l.leafDistanceSq = distanceSum / n;
        return l;
    }

    public FloatMatrix matrix() {
        return new FloatMatrix(centroids, k, dim);
    }
}
