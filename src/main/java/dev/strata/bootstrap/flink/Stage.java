package dev.strata.bootstrap.flink;

import dev.strata.vector.FloatMatrix;

/**
 * What one step of level 1 hands to the next: the centroids the next pass assigns every row to,
 * and what the level has settled so far. Emitted by a one-task step and broadcast to every scan.
 * A Flink POJO (public fields, no-argument constructor).
 */
public class Stage {
    /** The pass that will scan with these centroids (1-based). */
    public int pass;

    public int k;
    public int dim;
    public float[] centroids;
    /** Rows per cluster the pass keeps for the next resampling step (0: none). */
    public int poolSize;
    /**
     * Rank rows by their exact squared distance (centroids of a full k-means, as its result holds
     * them) instead of the kernel's ||x||^2 - 2x.c + ||c||^2 (a re-assignment's): what `strata
     * bootstrap` ranks by at the same step.
     */
    public boolean exactDistances;
    /** The clustering accepted so far (sizes from the pass that scanned it); null before the first pass. */
    public float[] acceptedCentroids;

    public long[] acceptedSizes;
    public double acceptedDistanceSum;
    /** Set once level 1 is final: later passes of the plan skip their scan. */
    public LevelOne result;

    public Stage() {}

    public FloatMatrix matrix() {
        return new FloatMatrix(centroids, k, dim);
    }
}
