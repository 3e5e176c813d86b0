package dev.strata.sampling;

/**
 * Knuth's selection sampling (algorithm S), one decision at a time: of a stream of `expected`
 * items, accept each with probability (quota left) / (items left), which accepts exactly
 * `quota` of them, every subset equally likely, spread over the whole stream rather than the
 * first arrivals. The uniform draw comes from the caller (a hash of the item id), so a replay
 * decides the same.
 */
public final class SelectionSampling {
    private SelectionSampling() {}

    /**
     * @param seen     items of this leaf decided so far
     * @param accepted items of this leaf accepted so far (below quota: the caller checks the cap)
     * @param u        uniform in [0, 1)
     */
    public static boolean accept(long seen, long accepted, long quota, long expected, double u) {
        long remainingQuota = quota - accepted;
        if (remainingQuota <= 0) {
            return false;
        }
        long remainingExpected = expected - seen;
        // once as many items remain as quota does, every one must be taken to reach the quota
        return remainingExpected <= remainingQuota || u * remainingExpected < remainingQuota;
    }
}
