package dev.strata.sampling;

/** How far the stream is from the pool the model was built on, as plain numbers (Flink-free). */
public final class DriftFigures {
    /**
     * Above this share of arrivals in the wrong top clusters (total variation), the model no
     * longer describes the stream: quotas still adapt, but top clusters no longer split it into
     * comparable concepts, so balance suffers. Half of the mass misplaced is far beyond sampling
     * noise for any stream long enough to warn about (see {@link #MIN_ITEMS_PER_TOP}).
     */
    public static final double REBUILD_DIVERGENCE = 0.5;
    /**
     * Distance of arrivals to their leaf centroid, relative to the pool's, above which they are
     * mostly concepts the model has not seen (novel concepts land far from every leaf).
     */
    public static final double REBUILD_DISTANCE_RATIO = 2.0;
    /** No warning before this many arrivals per top cluster on average: early shares are noise. */
    public static final long MIN_ITEMS_PER_TOP = 20;

    private DriftFigures() {}

    /**
     * The stream's mean squared distance to the leaf centroid over the pool's; NaN when the model
     * does not record the pool's (models built before it did) or nothing has arrived.
     */
    public static double distanceRatio(double distanceSqSum, long items, double poolLeafDistanceSq) {
        if (items == 0 || !(poolLeafDistanceSq > 0)) {
            return Double.NaN;
        }
        return distanceSqSum / items / poolLeafDistanceSq;
    }

    /** Whether the figures say the model no longer describes the stream (see the thresholds above). */
    public static boolean rebuildRecommended(long items, int topClusters, double divergence, double distanceRatio) {
        return items >= MIN_ITEMS_PER_TOP * topClusters
                && (divergence > REBUILD_DIVERGENCE || distanceRatio > REBUILD_DISTANCE_RATIO);
    }

    /** Total variation distance between the normalised {@code a} and {@code b} (0 when either is empty). */
    public static double totalVariation(long[] a, long[] b) {
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < a.length; i++) {
            sa += a[i];
            sb += b[i];
        }
        if (sa == 0 || sb == 0) {
            return 0;
        }
        double tv = 0;
        for (int i = 0; i < a.length; i++) {
            tv += Math.abs(a[i] / sa - b[i] / sb);
        }
        return tv / 2;
    }
}
