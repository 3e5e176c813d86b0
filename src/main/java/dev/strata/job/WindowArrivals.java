package dev.strata.job;

/**
 * What the windowed quota planner has counted of one window (Flink POJO, map state keyed by the
 * window's start): arrivals per top cluster, their summed squared distance to their leaf, and the
 * earliest and latest timestamps (the window's arrival rate).
 */
public class WindowArrivals {
    public long[] seen;
    public double distanceSqSum;
    public long earliest = Long.MAX_VALUE;
    public long latest = Long.MIN_VALUE;

    public WindowArrivals() {}

    public WindowArrivals(int topClusters) {
        seen = new long[topClusters];
    }

    /** Adds one arrival counter's flush. */
    public void add(TopCounts delta) {
        for (int i = 0; i < seen.length; i++) {
            seen[i] += delta.counts[i];
        }
        distanceSqSum += delta.distanceSqSum;
        earliest = Math.min(earliest, delta.earliest);
        latest = Math.max(latest, delta.latest);
    }

    public long total() {
        long t = 0;
        for (long s : seen) {
            t += s;
        }
        return t;
    }
}
