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
    /** Per leaf, how many refused candidates its {@link LeafReserve} holds, and the highest priority held. */
    public int[] reserved;

    public double[] reserveWorst;

    public TopCounters() {}

    public TopCounters(int leaves) {
        seen = new long[leaves];
        accepted = new long[leaves];
        reserved = new int[leaves];
        reserveWorst = new double[leaves];
    }

    /** Counters restored from a savepoint taken before the reserve existed have none yet. */
    public void ensureReserve() {
        if (reserved == null) {
            reserved = new int[seen.length];
            reserveWorst = new double[seen.length];
        }
    }

    /** Records the reserve of the leaf at {@code pos} after it changed. */
    public void reserveChanged(int pos, LeafReserve r) {
        ensureReserve();
        reserved[pos] = r.size();
        reserveWorst[pos] = r.worst();
    }
}
