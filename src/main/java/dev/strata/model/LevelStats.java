package dev.strata.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Health of one tree level: how sizes are spread. Resampling with a sample size far below the
 * mean cluster size can collapse a level (most clusters with one member, one parent holding
 * most of the data); these numbers make that visible and drive bootstrap's warning.
 */
public record LevelStats(int level, int clusters, long points, long min, long median, long max, double emptyShare,
        double singletonShare, double largestShare, double normalizedEntropy) {

    /** Largest-cluster share above which a level counts as collapsed, scaled by the uniform share 1/k. */
    static final double COLLAPSE_LARGEST_FACTOR = 20.0;
    /** Share of empty plus singleton clusters above which a level counts as collapsed. */
    static final double COLLAPSE_SMALL_SHARE = 0.5;

    public static LevelStats of(int level, long[] sizes) {
        long[] sorted = sizes.clone();
        Arrays.sort(sorted);
        long total = 0;
        int empty = 0;
        int singles = 0;
        for (long s : sorted) {
            total += s;
            if (s == 0) {
                empty++;
            } else if (s == 1) {
                singles++;
            }
        }
        int k = sizes.length;
        double largest = total == 0 ? 0 : (double) sorted[k - 1] / total;
        return new LevelStats(level, k, total, sorted[0], sorted[k / 2], sorted[k - 1], (double) empty / k,
                (double) singles / k, largest, normalizedEntropy(sizes));
    }

    /** Entropy of the size distribution divided by ln(k): 1 is perfectly balanced, 0 is one cluster. */
    public static double normalizedEntropy(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0 || counts.length < 2) {
            return counts.length < 2 ? 1.0 : 0.0;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(counts.length);
    }

    /** {smallest, largest} of the non-zero counts, or null when all are zero: the spread a report shows. */
    public static long[] nonEmptyRange(long[] counts) {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (long c : counts) {
            if (c > 0) {
                max = Math.max(max, c);
                min = Math.min(min, c);
            }
        }
        return min == Long.MAX_VALUE ? null : new long[] {min, max};
    }

    /** True when the level looks collapsed (see ALGORITHM.md section 3, "Known failure"). */
    public boolean collapsed() {
        boolean oneSwallowsAll = clusters > 1 && largestShare > Math.min(0.5, COLLAPSE_LARGEST_FACTOR / clusters);
        return oneSwallowsAll || emptyShare + singletonShare > COLLAPSE_SMALL_SHARE;
    }

    public String describe() {
        return String.format(Locale.ROOT,
                "level %d: %d clusters over %d points; size min %d / median %d / max %d; empty %.1f%%, singleton %.1f%%, "
                        + "largest %.2f%%, balance (normalised entropy) %.3f",
                level, clusters, points, min, median, max, 100 * emptyShare, 100 * singletonShare, 100 * largestShare,
                normalizedEntropy);
    }
}
