package dev.strata.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SelectionSamplingTest {

    /** Runs one leaf's stream of n items; returns the accepted positions. */
    private static int[] run(int n, int quota, long seed) {
        int[] positions = new int[quota];
        long accepted = 0;
        for (int i = 0; i < n; i++) {
            if (accepted < quota && SelectionSampling.accept(i, accepted, quota, n, Uniform.of(seed, "item-" + i))) {
                positions[(int) accepted++] = i;
            }
        }
        assertEquals(quota, accepted, "a stream of exactly the expected size fills the quota");
        return positions;
    }

    @Test
    void acceptsExactlyTheQuotaSpreadOverTheStream() {
        int n = 10_000;
        int quota = 500;
        double meanPosition = 0;
        int inFirstTenth = 0;
        for (long seed = 0; seed < 20; seed++) {
            for (int p : run(n, quota, seed)) {
                meanPosition += p;
                inFirstTenth += p < n / 10 ? 1 : 0;
            }
        }
        meanPosition /= 20.0 * quota;
        // uniform over the stream: mean position n/2, a tenth of the acceptances in the first tenth
        assertEquals(n / 2.0, meanPosition, n * 0.02);
        assertEquals(0.1, inFirstTenth / (20.0 * quota), 0.02);
    }

    @Test
    void everyItemIsEquallyLikelyToBeKept() {
        int n = 40;
        int quota = 10;
        int[] kept = new int[n];
        int runs = 4000;
        for (long seed = 0; seed < runs; seed++) {
            for (int p : run(n, quota, seed)) {
                kept[p]++;
            }
        }
        for (int i = 0; i < n; i++) {
            double share = kept[i] / (double) runs;
            assertEquals(quota / (double) n, share, 0.04, "item " + i);
        }
    }

    @Test
    void takesEverythingWhenTheRestIsNeededAndNothingAtQuota() {
        assertTrue(SelectionSampling.accept(95, 5, 10, 100, 0.999));
        assertFalse(SelectionSampling.accept(10, 10, 10, 100, 0.0));
        // more items than expected: still within quota, the leaf keeps taking until it is full
        assertTrue(SelectionSampling.accept(150, 3, 10, 100, 0.5));
    }
}
