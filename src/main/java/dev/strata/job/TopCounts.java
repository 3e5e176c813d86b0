package dev.strata.job;

/** Items that arrived per top cluster since the last flush of one {@link ArrivalCounter} (Flink POJO). */
public class TopCounts {
    public long[] counts;

    public TopCounts() {
    }

    public TopCounts(long[] counts) {
        this.counts = counts;
    }
}
