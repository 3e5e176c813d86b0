package dev.strata.job;

import dev.strata.sampling.SelectionSampling;
import dev.strata.sampling.StreamQuotas;

/**
 * Admission under the fixed plan, one item, Flink-free: the {@link AdmissionFunction} runs it
 * under each top cluster's key, the drift benchmark runs it directly. Caps: the leaf's quota and
 * the top cluster's budget from {@link StreamQuotas}; within a leaf, selection sampling against
 * the leaf's pool share of V.
 */
public final class FixedAdmission {
    private final StreamQuotas quotas;

    public FixedAdmission(StreamQuotas quotas) {
        this.quotas = quotas;
    }

    public StreamQuotas quotas() {
        return quotas;
    }

    /**
     * Decides one item and updates the leaf's counters; the caller adds an acceptance to its top
     * cluster's count.
     *
     * @param topAccepted items the item's top cluster accepted so far
     */
    public TopAdmission.Decision decide(LeafCounter c, long topAccepted, int leaf, int top, double u) {
        long q = quotas.leafQuota(leaf);
        boolean full = c.accepted >= q || topAccepted >= quotas.topQuota(top);
        boolean take = !full && SelectionSampling.accept(c.seen, c.accepted, q, quotas.expected(leaf), u);
        c.seen++;
        if (take) {
            c.accepted++;
            return TopAdmission.Decision.ACCEPTED;
        }
        return full ? TopAdmission.Decision.OVER_QUOTA : TopAdmission.Decision.SAMPLED_OUT;
    }
}
