package dev.strata.sampling;

import dev.strata.random.SplitMix64;

/**
 * Splits a target over sibling clusters so that small clusters are kept whole and large ones
 * are cut to a common level w (docs/algorithm.md, section 5). The few units left after the cut go,
 * one each, to clusters above the level, in an order fixed by a seeded hash of each cluster's
 * id: the batch selection and the streaming job then pick the same clusters for the remainder.
 */
public final class WaterFilling {
    private WaterFilling() {}

    /**
     * @param target  units to hand out (>= 0)
     * @param sizes   what each cluster can give (>= 0)
     * @param ids     a stable id per cluster (e.g. its index in its level), hashed for the remainder
     * @param seed    seed of the remainder order
     * @return quota per cluster: sum = min(target, sum(sizes)), quota[j] <= sizes[j]
     */
    public static long[] split(long target, long[] sizes, int[] ids, long seed) {
        if (target < 0) {
            throw new IllegalArgumentException("target must be >= 0, got " + target);
        }
        long total = 0;
        long max = 0;
        for (long s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("cluster sizes must be >= 0, got " + s);
            }
            total += s;
            max = Math.max(max, s);
        }
        long[] quota = new long[sizes.length];
        if (target >= total) {
            System.arraycopy(sizes, 0, quota, 0, sizes.length);
            return quota;
        }
        // largest w with sum(min(n_j, w)) <= target; the sum grows with w, so bisect
        long lo = 0;
        long hi = max;
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (filled(sizes, mid) <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        long w = lo;
        long given = 0;
        for (int j = 0; j < sizes.length; j++) {
            quota[j] = Math.min(sizes[j], w);
            given += quota[j];
        }
        long remainder = target - given;
        if (remainder > 0) {
            // remainder < number of clusters above w, since w + 1 would overshoot the target
            int above = 0;
            for (long s : sizes) {
                if (s > w) {
                    above++;
                }
            }
            // one more each to the clusters above the level with the smallest priorities, ties to the lower index
            int[] index = new int[above];
            long[] prio = new long[above];
            int a = 0;
            for (int j = 0; j < sizes.length; j++) {
                if (sizes[j] > w) {
                    index[a] = j;
                    prio[a++] = priority(seed, ids[j]);
                }
            }
            boolean[] more = SmallestKeys.first(prio, (int) remainder);
            for (int r = 0; r < above; r++) {
                if (more[r]) {
                    quota[index[r]]++;
                }
            }
        }
        return quota;
    }

    /** Convenience for siblings identified by their position. */
    public static long[] split(long target, long[] sizes, long seed) {
        int[] ids = new int[sizes.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        return split(target, sizes, ids, seed);
    }

    private static long filled(long[] sizes, long w) {
        long s = 0;
        for (long n : sizes) {
            s += Math.min(n, w);
        }
        return s;
    }

    /** Non-negative 64-bit priority; SplitMix64 finaliser over (seed, id). */
    static long priority(long seed, int id) {
        return SplitMix64.mix(seed ^ (0x9E3779B97F4A7C15L * (id + 1L))) >>> 1;
    }
}
