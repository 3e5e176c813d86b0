package dev.strata.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WaterFillingTest {

    @Test
    void targetZeroGivesNothing() {
        assertArrayEquals(new long[] {0, 0, 0}, WaterFilling.split(0, new long[] {5, 1, 9}, 1));
    }

    @Test
    void targetAtOrAboveTotalTakesEverything() {
        long[] sizes = {5, 1, 9};
        assertArrayEquals(sizes, WaterFilling.split(15, sizes, 1));
        assertArrayEquals(sizes, WaterFilling.split(1000, sizes, 1));
    }

    @Test
    void smallClustersKeptWholeLargeOnesCutToOneLevel() {
        long[] q = WaterFilling.split(10, new long[] {2, 100, 100, 1}, 7);
        // w = 3 gives 2 + 3 + 3 + 1 = 9, the remaining 1 goes to one of the two large clusters
        assertEquals(2, q[0]);
        assertEquals(1, q[3]);
        assertEquals(7, q[1] + q[2]);
        assertTrue(Math.abs(q[1] - q[2]) == 1);
    }

    @Test
    void equalSizesSplitEvenlyWithRemainderSpreadOneEach() {
        long[] q = WaterFilling.split(10, new long[] {50, 50, 50, 50}, 3);
        assertEquals(10, Arrays.stream(q).sum());
        for (long v : q) {
            assertTrue(v == 2 || v == 3, Arrays.toString(q));
        }
        assertEquals(2, Arrays.stream(q).filter(v -> v == 3).count());
    }

    @Test
    void oneHugeClusterGetsWhatTheOthersCannotTake() {
        long[] q = WaterFilling.split(1000, new long[] {1_000_000, 3, 4, 5}, 3);
        assertArrayEquals(new long[] {988, 3, 4, 5}, q);
    }

    @Test
    void tiesAtTheLevelOnlyGetOneExtraEach() {
        long[] q = WaterFilling.split(7, new long[] {3, 3, 3}, 11);
        assertEquals(7, Arrays.stream(q).sum());
        for (long v : q) {
            assertTrue(v == 2 || v == 3);
        }
    }

    @Test
    void remainderOrderIsSeededAndStableUnderReordering() {
        long[] sizes = {10, 10, 10, 10, 10, 10};
        int[] ids = {0, 1, 2, 3, 4, 5};
        long[] q1 = WaterFilling.split(27, sizes, ids, 42);
        long[] q2 = WaterFilling.split(27, sizes, ids, 42);
        assertArrayEquals(q1, q2);
        // the same clusters presented in another order get the same quotas: the order comes from ids
        int[] rev = {5, 4, 3, 2, 1, 0};
        long[] q3 = WaterFilling.split(27, sizes, rev, 42);
        for (int i = 0; i < 6; i++) {
            assertEquals(q1[i], q3[5 - i]);
        }
        boolean differs = false;
        for (long seed = 0; seed < 20 && !differs; seed++) {
            differs = !Arrays.equals(q1, WaterFilling.split(27, sizes, ids, seed));
        }
        assertTrue(differs, "another seed should move the remainder");
    }

    @Test
    void randomCasesHonourTheInvariants() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 2000; trial++) {
            int m = 1 + rnd.nextInt(12);
            long[] sizes = new long[m];
            long total = 0;
            for (int j = 0; j < m; j++) {
                sizes[j] = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(rnd.nextBoolean() ? 5 : 500);
                total += sizes[j];
            }
            long target = rnd.nextInt((int) total + 20);
            long[] q = WaterFilling.split(target, sizes, trial);
            assertEquals(Math.min(target, total), Arrays.stream(q).sum());
            long maxQ = 0;
            long minCut = Long.MAX_VALUE;
            for (int j = 0; j < m; j++) {
                assertTrue(q[j] >= 0 && q[j] <= sizes[j]);
                if (q[j] < sizes[j]) {
                    minCut = Math.min(minCut, q[j]);
                }
                maxQ = Math.max(maxQ, q[j]);
            }
            // every cut cluster sits at the water level (w or w + 1), and no one gets more than w + 1
            if (minCut != Long.MAX_VALUE) {
                assertTrue(maxQ - minCut <= 1, Arrays.toString(sizes) + " t=" + target + " -> " + Arrays.toString(q));
            }
        }
    }

    @Test
    void negativeInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> WaterFilling.split(-1, new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> WaterFilling.split(1, new long[] {-1}, 0));
    }
}
