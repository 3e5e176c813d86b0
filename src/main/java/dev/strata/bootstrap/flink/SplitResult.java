package dev.strata.bootstrap.flink;

/** The split of one coarse cluster: its non-empty sub-clusters, their sizes and distance sum. */
public class SplitResult {
    public int coarse;
    public int k;
    public float[] centroids;
    public long[] sizes;
    public double distanceSum;

    public SplitResult() {}
}
