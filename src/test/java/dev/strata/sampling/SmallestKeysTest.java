package dev.strata.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The primitive selection picks exactly what a stable sort of boxed indices picked before it. */
class SmallestKeysTest {
    /** The reference: indices sorted stably by key, the first k taken. */
    private static boolean[] byStableSort(long[] keys, int k) {
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
        boolean[] chosen = new boolean[keys.length];
        for (int r = 0; r < k && r < order.length; r++) {
            chosen[order[r]] = true;
        }
        return chosen;
    }

    @Test
    void theFirstKAreThoseOfAStableSortWithManyTies() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rnd.nextInt(60);
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                // few distinct values, so ties decide most picks; extremes included
                keys[i] = switch (rnd.nextInt(5)) {
                    case 0 -> Long.MIN_VALUE;
                    case 1 -> Long.MAX_VALUE;
                    default -> rnd.nextInt(4) - 2;
                };
            }
            int k = rnd.nextInt(n + 2) - 1;
            assertArrayEquals(byStableSort(keys, k), SmallestKeys.first(keys, k), Arrays.toString(keys) + " k=" + k);
        }
    }

    @Test
    void descendingKeysOrderDoublesAsDoubleCompareReversed() {
        double[] values = {-1.5, -0.0, 0.0, 1e-300, 0.25, 0.5, 0.999, 1.0, Double.MAX_VALUE};
        for (int i = 0; i + 1 < values.length; i++) {
            assertTrue(
                    SmallestKeys.descending(values[i]) > SmallestKeys.descending(values[i + 1]),
                    values[i] + " vs " + values[i + 1]);
        }
    }

    /** roundedShares gives the +1s to the largest fractional parts, ties to the lower index, as before. */
    @Test
    void roundedSharesMatchTheComparatorItReplaced() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + rnd.nextInt(40);
            long[] seen = new long[n];
            long[] pool = new long[n];
            for (int i = 0; i < n; i++) {
                seen[i] = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(50);
                pool[i] = 1 + rnd.nextInt(4);
            }
            long remaining = rnd.nextInt(200);
            double[] rest = AdaptiveQuotas.remainingShares(seen, pool, remaining);
            long[] expected = new long[n];
            long given = 0;
            for (int i = 0; i < n; i++) {
                expected[i] = (long) Math.floor(rest[i]);
                given += expected[i];
            }
            long left = Math.max(0, remaining) - given;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            long[] floor = expected.clone();
            Arrays.sort(order, (a, b) -> Double.compare(rest[b] - floor[b], rest[a] - floor[a]));
            for (int r = 0; r < left && r < n; r++) {
                expected[order[r]]++;
            }
            assertArrayEquals(expected, AdaptiveQuotas.roundedShares(seen, pool, remaining));
        }
    }
}
