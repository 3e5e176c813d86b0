package dev.strata.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PaperMixture2dTest {

    @Test
    void hasThePaperSizesMeansAndBackground() {
        SyntheticData d = PaperMixture2d.generate(3);
        assertArrayEquals(new int[] {7000, 1000, 500, 500}, d.labelCounts());
        double[][] sum = new double[4][2];
        double[] sq = new double[3];
        int[] n = d.labelCounts();
        for (int i = 0; i < d.points().rows(); i++) {
            int l = d.labels()[i];
            float x = d.points().get(i, 0);
            float y = d.points().get(i, 1);
            sum[l][0] += x;
            sum[l][1] += y;
            if (l == PaperMixture2d.UNIFORM) {
                assertTrue(Math.abs(x) <= 3 && Math.abs(y) <= 3, "background point outside [-3,3]^2");
            } else {
                double[] m = PaperMixture2d.mean(l);
                sq[l] += (x - m[0]) * (x - m[0]) + (y - m[1]) * (y - m[1]);
            }
        }
        for (int l = 0; l < 3; l++) {
            double[] m = PaperMixture2d.mean(l);
            assertEquals(m[0], sum[l][0] / n[l], 0.1);
            assertEquals(m[1], sum[l][1] / n[l], 0.1);
            // E|x - mean|^2 = 2 sigma^2 in 2-D
            assertEquals(2 * 0.25, sq[l] / n[l], 0.1);
        }
    }

    @Test
    void scalesToNAndIsDeterministic() {
        SyntheticData a = PaperMixture2d.generate(900, 5);
        assertArrayEquals(new int[] {700, 100, 50, 50}, a.labelCounts());
        assertArrayEquals(
                a.points().data(), PaperMixture2d.generate(900, 5).points().data());
    }
}
