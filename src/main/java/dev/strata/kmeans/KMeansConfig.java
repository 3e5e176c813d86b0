package dev.strata.kmeans;

import dev.strata.StrataException;
import dev.strata.model.Metric;

/**
 * Parameters of one flat k-means run.
 *
 * @param iterations at most this many Lloyd iterations; a run stops earlier at a fixed point (an
 *                   unchanged assignment, so the result is that of running them all), or when
 *                   {@code tolerance} > 0 stops it
 * @param tolerance  stop when the relative drop of the objective falls below it; 0 disables
 */
public record KMeansConfig(int k, int iterations, double tolerance, Init init, Metric metric, long seed) {
    public KMeansConfig {
        if (k < 1) {
            throw new StrataException("k-means needs at least 1 cluster, got " + k);
        }
        if (iterations < 0) {
            throw new StrataException("iters must be >= 0, got " + iterations);
        }
        if (tolerance < 0) {
            throw new StrataException("tolerance must be >= 0, got " + tolerance);
        }
    }

    public KMeansConfig withK(int newK) {
        return new KMeansConfig(newK, iterations, tolerance, init, metric, seed);
    }

    public KMeansConfig withSeed(long newSeed) {
        return new KMeansConfig(k, iterations, tolerance, init, metric, newSeed);
    }
}
