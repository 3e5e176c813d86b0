package dev.strata.kmeans;

import dev.strata.StrataException;

/**
 * One level of hierarchical k-means: its cluster count, the resampling that spreads its
 * centroids over the support of the data (skipped when steps == 0 or sampleSize <= 1), and the
 * paper's two-step form (splits m > 1: a k-means with clusters / m clusters, each then split
 * into m by its own k-means).
 */
public record LevelSpec(int clusters, int sampleSize, int resampleSteps, int splits) {
    public LevelSpec {
        if (clusters < 1) {
            throw new StrataException("levels: cluster counts must be positive, got " + clusters);
        }
        if (sampleSize < 0 || resampleSteps < 0) {
            throw new StrataException("sample sizes and resampling steps must be >= 0");
        }
        if (splits < 1) {
            throw new StrataException("splits must be >= 1 (1 = one k-means for the level), got " + splits);
        }
        if (splits > 1 && clusters % splits != 0) {
            throw new StrataException("a level of " + clusters + " clusters cannot be split " + splits + " ways: "
                    + "its cluster count must be a multiple of its splits (e.g. " + (clusters / splits + 1) * splits
                    + ")");
        }
        if (splits > 1 && resampleSteps > 0 && sampleSize > 1) {
            throw new StrataException(
                    "a level with splits (" + splits + ") cannot also resample: the split clusters are final; "
                            + "set its resampling steps to 0 (the paper resamples only the levels it does not split)");
        }
    }

    /** A level of one k-means. */
    public LevelSpec(int clusters, int sampleSize, int resampleSteps) {
        this(clusters, sampleSize, resampleSteps, 1);
    }

    public boolean resamples() {
        return resampleSteps > 0 && sampleSize > 1;
    }
}
