package dev.strata.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Health of one tree level: how sizes are spread. Resampling with a sample size far below the
 * mean cluster size can collapse a level (most clusters with one member, one parent holding
 * most of the data); these numbers make that visible and drive bootstrap's warning.
 */
public record LevelStats(
        int level,
        int clusters,
        long points,
        long min,
        long median,
        long max,
        double emptyShare,
        double singletonShare,
        double largestShare,
        double normalizedEntropy) {

    /**
     * Share above which a level counts as collapsed: half the points under one cluster, or half the
     * clusters empty or singleton. The bootstrap's per-step guard uses the same bound.
     */
    public static final double COLLAPSE_SHARE = 0.5;
    /** A largest cluster above this many times the uniform share 1/k is worth a note (not an alarm). */
    static final double DOMINANT_FACTOR = 20.0;

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
        return new LevelStats(
                level,
                k,
                total,
                sorted[0],
                sorted[k / 2],
                sorted[k - 1],
                (double) empty / k,
                (double) singles / k,
                largest,
                normalizedEntropy(sizes));
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

    /**
     * True when the level collapsed: one cluster holds more than half the points (k > 1), or more
     * than half the clusters are empty or singleton (docs/algorithm.md, section 4).
     */
    public boolean collapsed() {
        return (clusters > 1 && largestShare > COLLAPSE_SHARE) || emptyShare + singletonShare > COLLAPSE_SHARE;
    }

    /**
     * What is wrong or notable about this level, in one clause, or null when nothing is. A dominant
     * cluster (over 20 times the uniform share, at most half) is noted, not condemned: resampling
     * gives a large dense concept one cluster on purpose.
     */
    public String verdict() {
        if (clusters > 1 && largestShare > COLLAPSE_SHARE) {
            return String.format(
                    Locale.ROOT, "collapsed: one cluster holds %.1f%% of the points (over half)", 100 * largestShare);
        }
        if (emptyShare + singletonShare > COLLAPSE_SHARE) {
            return String.format(
                    Locale.ROOT,
                    "collapsed: %.1f%% of the clusters are empty or singleton (over half)",
                    100 * (emptyShare + singletonShare));
        }
        if (clusters > 1 && largestShare > DOMINANT_FACTOR / clusters) {
            return String.format(
                    Locale.ROOT,
                    "dominant cluster: %.1f%% of the points, %.0fx the uniform share "
                            + "(expected when one concept is that large)",
                    100 * largestShare,
                    largestShare * clusters);
        }
        return null;
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "level %d: %d clusters over %d points; size min %d / median %d / max %d; empty %.1f%%, singleton %.1f%%, "
                        + "largest %.2f%%, balance (normalised entropy) %.3f",
                level,
                clusters,
                points,
                min,
                median,
                max,
                100 * emptyShare,
                100 * singletonShare,
                100 * largestShare,
                normalizedEntropy);
    }
}
