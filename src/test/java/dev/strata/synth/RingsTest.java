package dev.strata.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.vector.FloatMatrix;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RingsTest {

    @Test
    void paperSetHasThePaperSizesAndRadii() {
        SyntheticData d = Rings.paper(1);
        assertEquals(29700, d.points().rows());
        assertEquals(2, d.points().dim());
        assertArrayEquals(new int[] {20000, 200, 1000, 500, 8000}, d.labelCounts());
        FloatMatrix p = d.points();
        double minR = Double.MAX_VALUE;
        double maxR = 0;
        for (int i = 0; i < p.rows(); i++) {
            double[] c = Rings.centre(d.labels()[i]);
            double r = Math.hypot(p.get(i, 0) - c[0], p.get(i, 1) - c[1]);
            minR = Math.min(minR, r);
            maxR = Math.max(maxR, r);
        }
        // float32 storage moves a point by ~1e-7, hence the slack
        assertTrue(minR >= Rings.MIN_RADIUS - 1e-6 && minR < Rings.MIN_RADIUS + 0.01, "min radius " + minR);
        assertTrue(maxR <= Rings.MAX_RADIUS + 1e-6 && maxR > Rings.MAX_RADIUS - 0.01, "max radius " + maxR);
    }

    @Test
    void rowsComeInRandomOrder() {
        int[] head = Arrays.copyOf(Rings.paper(1).labels(), 100);
        assertTrue(Arrays.stream(head).distinct().count() > 1, "labels should be mixed, not grouped by ring");
    }

    @Test
    void sameSeedSameDataOtherSeedOtherData() {
        SyntheticData a = Rings.generate(500, 42);
        SyntheticData b = Rings.generate(500, 42);
        SyntheticData c = Rings.generate(500, 43);
        assertArrayEquals(a.points().data(), b.points().data());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.points().data(), c.points().data()));
    }

    @Test
    void sizesScaleProportionally() {
        assertArrayEquals(new int[] {2000, 20, 100, 50, 800}, Rings.sizesFor(2970));
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, Rings.sizesFor(5));
        assertEquals(1000, Arrays.stream(Rings.sizesFor(1000)).sum());
        assertArrayEquals(new int[] {200, 2, 10, 5, 80}, Rings.scaledSizes(0.01));
        assertArrayEquals(new int[] {20, 1, 1, 1, 8}, Rings.scaledSizes(0.001));
        assertArrayEquals(
                new int[] {2000, 20, 100, 50, 800}, Rings.generate(2970, 3).labelCounts());
    }
}
