package dev.strata.synth;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Splits an integer total over groups in proportion to weights (largest-remainder method), so
 * group sizes sum exactly to the total and keep the weights' order: a heavier group never ends
 * smaller than a lighter one.
 */
final class Apportion {
    private Apportion() {}

    /**
     * Sizes proportional to {@code weights}, each at least {@code minEach}, summing to {@code total}.
     * Only groups whose proportional share falls below the minimum are raised to it (the others
     * share what is left in proportion), so totals that divide evenly keep exact proportions.
     */
    static int[] sizes(double[] weights, int total, int minEach) {
        int groups = weights.length;
        if (total < (long) groups * minEach) {
            throw new IllegalArgumentException(
                    total + " points cannot give " + groups + " groups " + minEach + " each");
        }
        boolean[] pinned = new boolean[groups];
        double[] exact = new double[groups];
        boolean changed = true;
        while (changed) {
            changed = false;
            long pinnedCount = IntStream.range(0, groups).filter(g -> pinned[g]).count();
            long rest = total - pinnedCount * minEach;
            double sum = IntStream.range(0, groups)
                    .filter(g -> !pinned[g])
                    .mapToDouble(g -> weights[g])
                    .sum();
            for (int g = 0; g < groups; g++) {
                if (!pinned[g]) {
                    exact[g] = rest * weights[g] / sum;
                    if (exact[g] < minEach) {
                        pinned[g] = true;
                        changed = true;
                    }
                }
            }
        }
        int[] out = new int[groups];
        long given = 0;
        for (int g = 0; g < groups; g++) {
            out[g] = pinned[g] ? minEach : (int) Math.floor(exact[g]);
            given += out[g];
        }
        // ties go to the earlier group, which keeps sizes in the order of the weights
        Integer[] byRemainder =
                IntStream.range(0, groups).filter(g -> !pinned[g]).boxed().toArray(Integer[]::new);
        Arrays.sort(
                byRemainder,
                Comparator.comparingDouble((Integer g) -> -(exact[g] - out[g])).thenComparingInt(g -> g));
        for (int i = 0; given < total; i++, given++) {
            out[byRemainder[i]]++;
        }
        return out;
    }

    /** A label per point, {@code sizes[c]} of label c, in a seeded random order. */
    static int[] shuffledLabels(int[] sizes, SplittableRandom rnd) {
        int n = Arrays.stream(sizes).sum();
        int[] labels = new int[n];
        int at = 0;
        for (int c = 0; c < sizes.length; c++) {
            Arrays.fill(labels, at, at + sizes[c], c);
            at += sizes[c];
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }
}
