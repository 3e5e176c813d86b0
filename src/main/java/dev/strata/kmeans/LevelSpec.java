package dev.strata.kmeans;

import dev.strata.StrataException;

/**
 * One level of hierarchical k-means: its cluster count, and the resampling that spreads its
 * centroids over the support of the data (skipped when steps == 0 or sampleSize <= 1).
 */
public record LevelSpec(int clusters, int sampleSize, int resampleSteps) {
    public LevelSpec {
        if (clusters < 1) {
            throw new StrataException("levels: cluster counts must be positive, got " + clusters);
        }
        if (sampleSize < 0 || resampleSteps < 0) {
            throw new StrataException("sample sizes and resampling steps must be >= 0");
        }
    }

    public boolean resamples() {
        return resampleSteps > 0 && sampleSize > 1;
    }
}
