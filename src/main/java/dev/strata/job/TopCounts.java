package dev.strata.job;

/**
 * Items that arrived per top cluster since the last flush of one {@link ArrivalCounter}, and the
 * sum of their squared distances to their leaf centroid (Flink POJO). With budgets per window:
 * the items of one window, and the earliest and latest of their timestamps (the arrival rate).
 */
public class TopCounts {
    public long[] counts;
    public double distanceSqSum;
    /** Start of the window the items fall in (0 without windows). */
    public long window;

    public long earliest = Long.MAX_VALUE;
    public long latest = Long.MIN_VALUE;

    public TopCounts() {}

    public TopCounts(long[] counts) {
        this(counts, 0);
    }

    public TopCounts(long[] counts, double distanceSqSum) {
        this.counts = counts;
        this.distanceSqSum = distanceSqSum;
    }
}
