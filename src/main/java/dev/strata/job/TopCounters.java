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

    /** Items seen in the whole subtree (the sum of {@link #seen}). */
    public long arrivals;

    /**
     * A run that continues another (quota.carryOver): per leaf, items the old run consumed and did
     * not keep, counted in {@link #seen} but gone for selection; and their sum. Null otherwise
     * (and in counters restored from before they existed).
     */
    public long[] unavailable;

    public long unavailableTotal;

    /**
     * The leaf plan of the last re-plan ({@link TopAdmission}), by position: each leaf's quota,
     * its share of the remaining items, and its quota if the
     * stream ended then ({@code Long.MAX_VALUE}: that split kept it whole); null until the first decision.
     */
    public long[] quota;

    public long[] rest;
    public long[] endQuota;
    /** The remaining items the plan expected for the top cluster when the leaf plan was made. */
    public long plannedRemaining;
    /** {@link #arrivals} when the leaf plan was made, and the top cluster's budget and estimate then. */
    public long plannedAt;

    public long plannedBudget;
    public long plannedEstimate;

    public TopCounters() {}

    public TopCounters(int leaves) {
        seen = new long[leaves];
        accepted = new long[leaves];
        reserved = new int[leaves];
        reserveWorst = new double[leaves];
    }

    /** Items of the leaf at {@code pos} that can still be selected or were: seen, less the unavailable. */
    long available(int pos) {
        return unavailable == null ? seen[pos] : seen[pos] - unavailable[pos];
    }

    /** {@link #available} over the whole subtree. */
    long availableTotal() {
        return arrivals - unavailableTotal;
    }

    /** Counters restored from a savepoint taken before the reserve existed have none yet. */
    public void ensureReserve() {
        if (reserved == null) {
            reserved = new int[seen.length];
            reserveWorst = new double[seen.length];
        }
    }

    /**
     * Counters restored from a savepoint taken before the leaf plan was kept have no arrivals
     * total and no plan: the total is the sum of the counts, and the next decision plans.
     */
    public void ensurePlan() {
        if (quota == null) {
            long sum = 0;
            for (long s : seen) {
                sum += s;
            }
            arrivals = sum;
        }
    }

    /** Records the reserve of the leaf at {@code pos} after it changed. */
    public void reserveChanged(int pos, LeafReserve r) {
        ensureReserve();
        reserved[pos] = r.size();
        reserveWorst[pos] = r.worst();
    }
}
