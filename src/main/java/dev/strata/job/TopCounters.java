package dev.strata.job;

/**
 * Adaptive admission's keyed state for one top cluster (Flink POJO): per leaf of its subtree,
 * indexed by position in {@code TreeShape.leavesUnder(top)}, the items seen and accepted, and
 * the accepted total. The leaves' quotas are recomputed from the whole subtree, so it is one value.
 */
public class TopCounters {
    public long[] seen;
    public long[] accepted;
    public long total;

    public TopCounters() {
    }

    public TopCounters(int leaves) {
        seen = new long[leaves];
        accepted = new long[leaves];
    }
}
