package dev.strata.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.progress.Progress;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NearestCentroidsTest {

    private static List<DotKernel> kernels() {
        return List.of(new ScalarKernel(), Kernels.byName("vector"), Kernels.byName("openblas"));
    }

    private static FloatMatrix random(Random rnd, int rows, int dim) {
        return new FloatMatrix(DotKernelTest.random(rnd, rows * dim), rows, dim);
    }

    /** Exact squared distance in double. */
    private static double dist(FloatMatrix x, int i, FloatMatrix c, int j) {
        double s = 0;
        for (int k = 0; k < x.dim(); k++) {
            double d = (double) x.get(i, k) - c.get(j, k);
            s += d * d;
        }
        return s;
    }

    @Test
    void assignMatchesBruteForce() {
        Random rnd = new Random(3);
        int[][] shapes = {{1, 1, 1}, {5, 3, 2}, {600, 17, 37}, {300, 40, 257}, {513, 8, 5}};
        for (DotKernel kernel : kernels()) {
            // small blocks and tiles so several of each are exercised
            try (NearestCentroids nc = new NearestCentroids(kernel, 2, 64, 16)) {
                for (int[] s : shapes) {
                    FloatMatrix x = random(rnd, s[0], s[2]);
                    FloatMatrix c = random(rnd, s[1], s[2]);
                    int[] idx = new int[s[0]];
                    float[] d = new float[s[0]];
                    nc.assign(x, c, idx, d, Progress.silent());
                    for (int i = 0; i < s[0]; i++) {
                        int best = 0;
                        for (int j = 1; j < s[1]; j++) {
                            if (dist(x, i, c, j) < dist(x, i, c, best)) {
                                best = j;
                            }
                        }
                        double bestD = dist(x, i, c, best);
                        double tol = 1e-4 * Math.max(1, bestD) + 1e-5 * s[2];
                        if (idx[i] != best) {
                            // only a near tie may differ, and then the distance must still be the minimum
                            assertEquals(bestD, dist(x, i, c, idx[i]), tol, kernel.name() + " row " + i);
                        }
                        assertEquals(bestD, d[i], tol, kernel.name() + " distance of row " + i);
                        assertTrue(d[i] >= 0);
                    }
                }
            }
        }
    }

    @Test
    void subsetAssignMatchesFullAssign() {
        Random rnd = new Random(5);
        FloatMatrix x = random(rnd, 700, 33);
        FloatMatrix c = random(rnd, 50, 33);
        try (NearestCentroids nc = new NearestCentroids(Kernels.byName("openblas"), 2, 64, 16)) {
            int[] idx = new int[700];
            float[] d = new float[700];
            nc.assign(x, c, idx, d, Progress.silent());
            int[] rows = new int[300];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = rnd.nextInt(700);
            }
            int[] subIdx = new int[300];
            float[] subD = new float[300];
            nc.assign(x, rows, c, subIdx, subD);
            for (int i = 0; i < rows.length; i++) {
                assertEquals(idx[rows[i]], subIdx[i]);
                assertEquals(d[rows[i]], subD[i], 1e-4f * Math.max(1f, d[rows[i]]));
            }
        }
    }

    @Test
    void nearestMIsSortedAndAgreesWithAssign() {
        Random rnd = new Random(9);
        FloatMatrix q = random(rnd, 300, 19);
        FloatMatrix c = random(rnd, 70, 19);
        int m = 7;
        for (DotKernel kernel : kernels()) {
            try (NearestCentroids nc = new NearestCentroids(kernel, 2, 64, 16)) {
                int[] idx = new int[300 * m];
                float[] d = new float[300 * m];
                nc.nearestM(q, c, m, idx, d);
                int[] one = new int[300];
                float[] oneD = new float[300];
                nc.assign(q, c, one, oneD, Progress.silent());
                for (int i = 0; i < 300; i++) {
                    assertEquals(one[i], idx[i * m], kernel.name());
                    assertEquals(oneD[i], d[i * m], kernel.name());
                    for (int r = 1; r < m; r++) {
                        assertTrue(d[i * m + r - 1] <= d[i * m + r], "sorted");
                        assertTrue(idx[i * m + r - 1] != idx[i * m + r], "distinct");
                    }
                    // nothing outside the list is nearer than its last entry
                    Set<Integer> in = new HashSet<>();
                    for (int r = 0; r < m; r++) {
                        in.add(idx[i * m + r]);
                    }
                    double last = dist(q, i, c, idx[i * m + m - 1]);
                    for (int j = 0; j < 70; j++) {
                        if (!in.contains(j)) {
                            assertTrue(
                                    dist(q, i, c, j) >= last - 1e-4 * Math.max(1, last), kernel.name() + " row " + i);
                        }
                    }
                }
                int[] all = new int[300 * 70];
                nc.nearestM(q, c, 70, all, new float[300 * 70]);
                assertEquals(70, Arrays.stream(all, 0, 70).distinct().count());
            }
        }
    }

    @Test
    void identicalForOneAndTwoThreads() {
        Random rnd = new Random(13);
        FloatMatrix x = random(rnd, 2000, 64);
        FloatMatrix c = random(rnd, 2500, 64);
        for (DotKernel kernel : List.of(Kernels.byName("vector"), Kernels.byName("openblas"))) {
            int[] idx1 = new int[2000];
            float[] d1 = new float[2000];
            int[] idx2 = new int[2000];
            float[] d2 = new float[2000];
            int[] top1 = new int[2000 * 3];
            float[] topD1 = new float[2000 * 3];
            int[] top2 = new int[2000 * 3];
            float[] topD2 = new float[2000 * 3];
            try (NearestCentroids one = new NearestCentroids(kernel, 1);
                    NearestCentroids two = new NearestCentroids(kernel, 2)) {
                one.assign(x, c, idx1, d1, Progress.silent());
                two.assign(x, c, idx2, d2, Progress.silent());
                one.nearestM(x, c, 3, top1, topD1);
                two.nearestM(x, c, 3, top2, topD2);
            }
            assertArrayEquals(idx1, idx2, kernel.name());
            assertArrayEquals(d1, d2, kernel.name());
            assertArrayEquals(top1, top2, kernel.name());
            assertArrayEquals(topD1, topD2, kernel.name());
        }
    }

    @Test
    void tiesGoToTheLowestIndex() {
        int dim = 4;
        // centroids 1, 3 and 6 are the same point, nearest to the query; tiles of 2 split them
        float[] cd = new float[8 * dim];
        for (int j = 0; j < 8; j++) {
            cd[j * dim] = 10 + j;
        }
        for (int j : new int[] {6, 3, 1}) {
            cd[j * dim] = 1;
            cd[j * dim + 1] = 1;
        }
        FloatMatrix c = new FloatMatrix(cd, 8, dim);
        FloatMatrix q = new FloatMatrix(new float[] {1, 1, 0, 0, 1, 1, 0, 0}, 2, dim);
        for (DotKernel kernel : kernels()) {
            try (NearestCentroids nc = new NearestCentroids(kernel, 2, 1, 2)) {
                int[] idx = new int[2];
                float[] d = new float[2];
                nc.assign(q, c, idx, d, Progress.silent());
                assertArrayEquals(new int[] {1, 1}, idx, kernel.name());
                assertArrayEquals(new float[] {0, 0}, d, kernel.name());
                int[] top = new int[2 * 4];
                nc.nearestM(q, c, 4, top, new float[2 * 4]);
                assertArrayEquals(new int[] {1, 3, 6, 0, 1, 3, 6, 0}, top, kernel.name());
            }
        }
    }

    @Test
    void preparedCentroidsGiveTheSameAnswer() {
        Random rnd = new Random(17);
        FloatMatrix x = random(rnd, 5, 48);
        FloatMatrix c = random(rnd, 3000, 48);
        try (NearestCentroids nc = new NearestCentroids(Kernels.byName("openblas"), 2)) {
            PreparedCentroids prepared = nc.prepare(c);
            int[] a = new int[5];
            float[] ad = new float[5];
            int[] b = new int[5];
            float[] bd = new float[5];
            nc.assign(x, c, a, ad, Progress.silent());
            nc.assign(x, prepared, b, bd, Progress.silent());
            assertArrayEquals(a, b);
            assertArrayEquals(ad, bd);
        }
    }

    @Test
    void nearestMOverARangeOfRowsIsThatSliceOfTheWholeSearch() {
        Random rnd = new Random(23);
        int n = 1000;
        int dim = 9;
        FloatMatrix whole = FloatMatrix.chunked(n, dim, 333);
        for (int i = 0; i < n; i++) {
            float[] row = new float[dim];
            for (int j = 0; j < dim; j++) {
                row[j] = (float) rnd.nextGaussian();
            }
            whole.setRow(i, row);
        }
        FloatMatrix centroids = random(rnd, 50, dim);
        int m = 3;
        try (NearestCentroids nc = new NearestCentroids(Kernels.fastest(), 2, 64, 16)) {
            int[] allIndex = new int[n * m];
            float[] allDist = new float[n * m];
            nc.nearestM(whole, centroids, m, allIndex, allDist);
            int first = 5 * nc.blockRows();
            int rows = 400;
            int[] index = new int[rows * m];
            float[] dist = new float[rows * m];
            nc.nearestM(whole, first, rows, nc.prepare(centroids), m, index, dist);
            assertArrayEquals(Arrays.copyOfRange(allIndex, first * m, (first + rows) * m), index);
            assertArrayEquals(Arrays.copyOfRange(allDist, first * m, (first + rows) * m), dist);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> nc.nearestM(whole, 900, 200, nc.prepare(centroids), m, index, dist),
                    "rows past the end");
        }
    }
}
