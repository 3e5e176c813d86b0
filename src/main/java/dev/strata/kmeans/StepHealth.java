package dev.strata.kmeans;

import dev.strata.model.LevelStats;
import java.util.Locale;

/**
 * The shape of one level after a k-means or resampling step, over the level's inputs and over the
 * pool rows beneath them: what tells a healthy step from a degenerate one (section 4 of
 * docs/algorithm.md).
 *
 * @param largestRowShare   share of the pool's rows under the largest cluster
 * @param largestInputShare share of the level's inputs (rows at level 1, centroids above) in the largest cluster
 * @param smallShare        share of clusters with at most one input (empty or singleton)
 */
public record StepHealth(double largestRowShare, double largestInputShare, double smallShare) {

    /** @param rowsBeneath pool rows under each input of the level (all 1 at level 1) */
    static StepHealth of(int[] assignment, long[] rowsBeneath, int k) {
        long[] rows = new long[k];
        int[] inputs = new int[k];
        long total = 0;
        for (int i = 0; i < assignment.length; i++) {
            rows[assignment[i]] += rowsBeneath[i];
            inputs[assignment[i]]++;
            total += rowsBeneath[i];
        }
        long maxRows = 0;
        int maxInputs = 0;
        int small = 0;
        for (int c = 0; c < k; c++) {
            maxRows = Math.max(maxRows, rows[c]);
            maxInputs = Math.max(maxInputs, inputs[c]);
            if (inputs[c] <= 1) {
                small++;
            }
        }
        return new StepHealth(
                total == 0 ? 0 : (double) maxRows / total, (double) maxInputs / assignment.length, (double) small / k);
    }

    /** Level 1 from its cluster sizes alone (every input is one row), as a level built elsewhere has them. */
    public static StepHealth ofSizes(long[] sizes) {
        long total = 0;
        long max = 0;
        int small = 0;
        for (long s : sizes) {
            total += s;
            max = Math.max(max, s);
            if (s <= 1) {
                small++;
            }
        }
        double share = total == 0 ? 0 : (double) max / total;
        return new StepHealth(share, share, sizes.length == 0 ? 0 : (double) small / sizes.length);
    }

    /**
     * True when this step collapsed a level that {@code before} had not: more than half the rows
     * under one cluster, or more than half the clusters empty or singleton, and worse than before
     * (a level whose plain k-means already has one dominant cluster is not resampling's doing).
     */
    public boolean collapsedFrom(StepHealth before) {
        return (largestRowShare > LevelStats.COLLAPSE_SHARE && largestRowShare > before.largestRowShare)
                || (smallShare > LevelStats.COLLAPSE_SHARE && smallShare > before.smallShare);
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "largest cluster %.1f%% of rows, %.1f%% of inputs; %.1f%% of clusters empty or singleton",
                100 * largestRowShare,
                100 * largestInputShare,
                100 * smallShare);
    }
}
