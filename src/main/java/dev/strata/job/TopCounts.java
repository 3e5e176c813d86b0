package dev.strata.job;

/**
 * Items that arrived per top cluster since the last flush of one {@link ArrivalCounter}, and the
 * sum of their squared distances to their leaf centroid (Flink POJO).
 */
public class TopCounts {
    public long[] counts;
    public double distanceSqSum;

    public TopCounts() {}

    public TopCounts(long[] counts) {
        this(counts, 0);
    }

    public TopCounts(long[] counts, double distanceSqSum) {
        this.counts = counts;
        this.distanceSqSum = distanceSqSum;
    }
}
