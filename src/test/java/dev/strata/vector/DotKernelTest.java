package dev.strata.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class DotKernelTest {

    private static List<DotKernel> fastKernels() {
        List<DotKernel> kernels = new ArrayList<>();
        kernels.add(Kernels.byName("vector"));
        if (OpenBlasKernel.available()) {
            kernels.add(new OpenBlasKernel());
        }
        return kernels;
    }

    @Test
    void openBlasLoadsOnThisPlatform() {
        // the natives ship for linux-x86_64, which is what the build and CI run on
        assertTrue(OpenBlasKernel.available(), "OpenBLAS did not load: " + OpenBlasKernel.failure());
        assertEquals("openblas", Kernels.byName("auto").name());
    }

    @Test
    void everyKernelMatchesScalarOnOddShapesAndOffsets() {
        Random rnd = new Random(7);
        int[] dims = {1, 3, 16, 17, 48, 257};
        int[] aRowCounts = {1, 2, 3, 4, 5, 6, 7, 9};
        // past whole panels of 3 vectors: last panels one, two and three vectors wide, full and partial
        int[] bRowCounts = {1, 2, 16, 20, 32, 33, 47, 48, 49, 64, 80, 100};
        ScalarKernel reference = new ScalarKernel();
        for (DotKernel kernel : fastKernels()) {
            for (int dim : dims) {
                for (int aRows : aRowCounts) {
                    for (int bRows : bRowCounts) {
                        int aOff = rnd.nextInt(3) * dim + rnd.nextInt(2);
                        float[] a = random(rnd, aOff + aRows * dim + 5);
                        float[] b = random(rnd, bRows * dim);
                        float[] expected = new float[aRows * bRows];
                        float[] actual = new float[aRows * bRows];
                        reference.dotsTransposed(a, aOff, aRows, b, bRows, dim, expected);
                        kernel.dotsTransposed(a, aOff, aRows, b, bRows, dim, actual);
                        assertClose(
                                expected,
                                actual,
                                kernel.name() + " " + aRows + "x" + bRows + "x" + dim + " off " + aOff);

                        float[] prepared = new float[aRows * bRows];
                        float[] padded = new float[bRows * dim + dim];
                        System.arraycopy(b, 0, padded, dim, b.length);
                        kernel.dotsTransposed(a, aOff, aRows, kernel.prepare(padded, dim, bRows, dim), prepared);
                        assertEquals(
                                Arrays.toString(actual),
                                Arrays.toString(prepared),
                                kernel.name() + " prepared differs from unprepared");
                    }
                }
            }
        }
    }

    @Test
    void rowIndependentKernelsGiveARowTheSameBitsWhateverRowsShareTheCall() {
        Random rnd = new Random(5);
        int dim = 77;
        int aRows = 23;
        float[] a = random(rnd, aRows * dim);
        for (int bRows : new int[] {1, 10, 20, 40, 49, 300}) {
            float[] b = random(rnd, bRows * dim);
            for (DotKernel kernel : List.of(Kernels.byName("vector"), new ScalarKernel(), Kernels.forDescent())) {
                assertTrue(kernel.rowIndependent(), kernel.name());
                PreparedRows prepared = kernel.prepare(b, 0, bRows, dim);
                float[] all = new float[aRows * bRows];
                kernel.dotsTransposed(a, 0, aRows, prepared, all);
                float[] part = new float[aRows * bRows];
                // each row alone, and in calls of 2, 3, 5 and 7 rows starting anywhere
                for (int width : new int[] {1, 2, 3, 5, 7}) {
                    for (int first = 0; first < aRows; first += width) {
                        int n = Math.min(width, aRows - first);
                        float[] out = new float[n * bRows];
                        kernel.dotsTransposed(a, first * dim, n, prepared, out);
                        System.arraycopy(out, 0, part, first * bRows, out.length);
                    }
                    Assertions.assertArrayEquals(
                            all,
                            part,
                            0f,
                            kernel.name() + ", " + bRows + " rows of B, calls of " + width + " rows of A");
                }
            }
        }
    }

    @Test
    void largeBlocksMatchScalar() {
        Random rnd = new Random(11);
        int aRows = 70;
        int bRows = 300;
        int dim = 257;
        float[] a = random(rnd, aRows * dim);
        float[] b = random(rnd, bRows * dim);
        float[] expected = new float[aRows * bRows];
        new ScalarKernel().dotsTransposed(a, 0, aRows, b, bRows, dim, expected);
        for (DotKernel kernel : fastKernels()) {
            float[] actual = new float[aRows * bRows];
            kernel.dotsTransposed(a, 0, aRows, b, bRows, dim, actual);
            assertClose(expected, actual, kernel.name());
        }
    }

    @Test
    void byNameKnowsEveryKernel() {
        assertEquals("scalar", Kernels.byName("scalar").name());
        assertEquals("vector", Kernels.byName(" Vector ").name());
        assertEquals("openblas", Kernels.byName("openblas").name());
        Assertions.assertThrows(StrataException.class, () -> Kernels.byName("cuda"));
    }

    static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** Relative 1e-4 against the magnitude of the terms, so cancellation near 0 does not fail it. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        float scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            float tol = 1e-4f * Math.max(Math.abs(expected[i]), Math.max(1f, scale * 0.01f));
            assertEquals(expected[i], actual[i], tol, what + " at " + i);
        }
    }
}
