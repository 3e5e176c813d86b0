package dev.strata.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.io.NpyReader;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GaussianMixtureTest {
    @TempDir
    Path dir;

    @Test
    void zipfSizesDecreaseAndFollowThePowerLaw() {
        int[] s = GaussianMixture.zipfSizes(100_000, 50, 1.0);
        assertEquals(100_000, Arrays.stream(s).sum());
        for (int c = 1; c < s.length; c++) {
            assertTrue(s[c] <= s[c - 1], "size " + c + " grew: " + Arrays.toString(s));
        }
        assertEquals(2.0, (double) s[0] / s[1], 0.01);
        assertEquals(10.0, (double) s[0] / s[9], 0.05);
        int[] steep = GaussianMixture.zipfSizes(100_000, 50, 2.0);
        assertEquals(4.0, (double) steep[0] / steep[1], 0.01);
    }

    @Test
    void zeroExponentGivesEqualSizesAndEveryConceptGetsAPoint() {
        assertArrayEquals(new int[] {25, 25, 25, 25}, GaussianMixture.zipfSizes(100, 4, 0));
        int[] tail = GaussianMixture.zipfSizes(1000, 500, 3.0);
        assertTrue(Arrays.stream(tail).allMatch(x -> x >= 1));
        assertEquals(1000, Arrays.stream(tail).sum());
        for (int c = 1; c < tail.length; c++) {
            assertTrue(tail[c] <= tail[c - 1], "size " + c + " grew: " + Arrays.toString(tail));
        }
        assertEquals(8.0, (double) tail[0] / tail[1], 0.1, "the head keeps its 2^3 ratio to the next concept");
    }

    @Test
    void labelsMatchSizesAndPointsSitAroundTheirCentre() {
        GaussianMixture g = new GaussianMixture(4000, 64, 20, 1.0, 5);
        SyntheticData d = g.generate();
        assertEquals(4000, d.points().rows());
        assertEquals(64, d.points().dim());
        assertArrayEquals(g.sizes(), d.labelCounts());
        FloatMatrix c = g.centres();
        double meanDist = 0;
        int nearestOwn = 0;
        for (int i = 0; i < d.points().rows(); i++) {
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int k = 0; k < c.rows(); k++) {
                double s = 0;
                for (int j = 0; j < 64; j++) {
                    double diff = d.points().get(i, j) - c.get(k, j);
                    s += diff * diff;
                }
                if (s < bestD) {
                    bestD = s;
                    best = k;
                }
                if (k == d.labels()[i]) {
                    meanDist += Math.sqrt(s);
                }
            }
            nearestOwn += best == d.labels()[i] ? 1 : 0;
        }
        assertEquals(GaussianMixture.DEFAULT_RADIUS, meanDist / 4000, 0.03);
        assertTrue(nearestOwn > 0.99 * 4000, "separable concepts, got " + nearestOwn + "/4000 nearest their centre");
        for (float norm : c.rowNormsSquared()) {
            assertEquals(1.0, norm, 1e-5);
        }
    }

    @Test
    void deterministicForASeedWhateverTheBlocking() {
        GaussianMixture g = new GaussianMixture(3000, 16, 10, 1.2, 9);
        SyntheticData whole = g.generate();
        SyntheticData again = new GaussianMixture(3000, 16, 10, 1.2, 9).generate();
        assertArrayEquals(whole.points().data(), again.points().data());
        assertArrayEquals(whole.labels(), again.labels());
        float[] piece = new float[7 * 16];
        g.fillRows(1500, 7, piece, 0);
        assertArrayEquals(Arrays.copyOfRange(whole.points().data(), 1500 * 16, 1507 * 16), piece);
        SyntheticData other = new GaussianMixture(3000, 16, 10, 1.2, 10).generate();
        assertFalse(Arrays.equals(whole.points().data(), other.points().data()));
    }

    @Test
    void streamedFileEqualsInMemoryData() {
        GaussianMixture g = new GaussianMixture(5000, 8, 6, 1.0, 11);
        Path labels = g.write(dir.resolve("g.npy"), Progress.silent());
        assertEquals(dir.resolve("g.labels.npy"), labels);
        SyntheticData d = g.generate();
        assertArrayEquals(
                d.points().data(), NpyReader.read(dir.resolve("g.npy")).data());
        assertArrayEquals(d.labels(), NpyReader.readLabels(labels));
    }

    @Test
    void refusesImpossibleSettings() {
        String m = assertThrows(StrataException.class, () -> new GaussianMixture(5, 4, 10, 1, 1))
                .getMessage();
        assertTrue(m.contains("n=5 is below concepts=10"), m);
        m = assertThrows(StrataException.class, () -> new GaussianMixture(50, 4, 10, -1, 1))
                .getMessage();
        assertTrue(m.contains("zipf exponent is -1.0"), m);
        assertThrows(StrataException.class, () -> new GaussianMixture(50, 0, 10, 1, 1));
        assertThrows(StrataException.class, () -> new GaussianMixture(50, 4, 0, 1, 1));
    }
}
