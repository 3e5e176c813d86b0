package dev.strata.sampling;

import java.util.Arrays;

/**
 * Which k entries a stable sort by key would put first (ties to the lower index), found with one
 * sort of the primitive keys instead of a sort of boxed indices under a comparator: the rounding
 * and remainder steps of the quota plans run once per admitted item, where that difference is
 * most of the planning time (docs/benchmarks.md, "Adaptive admission on a quiet machine").
 */
final class SmallestKeys {
    private SmallestKeys() {}

    /** Entry i is chosen iff it is among the first k of the entries ordered by (key, index). */
    static boolean[] first(long[] keys, int k) {
        boolean[] chosen = new boolean[keys.length];
        if (k <= 0) {
            return chosen;
        }
        if (k >= keys.length) {
            Arrays.fill(chosen, true);
            return chosen;
        }
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        long threshold = sorted[k - 1];
        int below = 0;
        for (long key : keys) {
            if (key < threshold) {
                below++;
            }
        }
        int ties = k - below;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] < threshold) {
                chosen[i] = true;
            } else if (keys[i] == threshold && ties > 0) {
                chosen[i] = true;
                ties--;
            }
        }
        return chosen;
    }

    /**
     * A long whose signed order is the reverse of {@link Double#compare} on the values: the first
     * k of these keys are the k largest values, ties to the lower index.
     */
    static long descending(double value) {
        long bits = Double.doubleToLongBits(value);
        return ~(bits ^ ((bits >> 63) & Long.MAX_VALUE));
    }
}
