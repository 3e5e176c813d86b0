package dev.strata.kmeans;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Levels and sample sizes proposed for a pool ({@code bootstrap --levels auto}); the reasoning is
 * in docs/algorithm.md, "Choosing levels".
 *
 * <ul>
 *   <li>leaves: one per {@value #ROWS_PER_LEAF} rows (the paper's web-scale run: 743M images, 10M
 *       leaves, 74 per leaf);</li>
 *   <li>top: sqrt(n) / 2 clusters (743M gives 13.6k, the paper used 10k); one level only when
 *       that is more than half the leaves (small pools), since a level barely smaller than the one
 *       below adds nothing;</li>
 *   <li>in between: as few levels as keep every level within {@value #MAX_RATIO}x of the one below,
 *       spaced geometrically (743M gives 4 levels, like the paper's 10M / 500k / 50k / 10k);</li>
 *   <li>sample sizes: half the mean cluster size of each level, at least 2 (the paper's rule of thumb).</li>
 * </ul>
 */
public record LevelPlan(List<Integer> clusters, List<Integer> sampleSizes) {
    static final int ROWS_PER_LEAF = 100;
    static final double MAX_RATIO = 10;

    public static LevelPlan propose(long rows) {
        if (rows < 4) {
            throw new StrataException("proposing levels needs at least 4 rows to cluster, the input has " + rows);
        }
        long leaves = Math.max(2, Math.min(rows / 2, Math.round(rows / (double) ROWS_PER_LEAF)));
        long top = Math.max(2, Math.min(leaves, Math.round(Math.sqrt(rows) / 2)));
        List<Integer> ks = new ArrayList<>();
        if (2 * top > leaves) {
            ks.add(Math.toIntExact(leaves));
        } else {
            int steps = (int) Math.ceil(Math.log((double) leaves / top) / Math.log(MAX_RATIO) - 1e-9);
            for (int t = 0; t <= steps; t++) {
                ks.add(Math.toIntExact(Math.round(leaves * Math.pow((double) top / leaves, (double) t / steps))));
            }
        }
        return new LevelPlan(ks, sampleSizes(rows, ks));
    }

    /** Half the mean cluster size of each level (inputs per cluster), at least 2. */
    public static List<Integer> sampleSizes(long rows, List<Integer> ks) {
        List<Integer> out = new ArrayList<>();
        long inputs = rows;
        for (int k : ks) {
            out.add(sampleSize(inputs, k));
            inputs = k;
        }
        return out;
    }

    /** The paper's rule of thumb for one level: half its mean cluster size, at least 2. */
    static int sampleSize(long inputs, int k) {
        return (int) Math.max(2, Math.round(inputs / (2.0 * k)));
    }

    /** Why these levels, in words (the command line adds the flags that repeat them). */
    public static String reasoning() {
        return String.format(
                Locale.ROOT,
                "a leaf per %d rows, sqrt(n)/2 top clusters, at most %.0fx between levels",
                ROWS_PER_LEAF,
                MAX_RATIO);
    }
}
