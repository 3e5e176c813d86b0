package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import dev.strata.vector.Workers;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnchoredSearchTest {

    /** n rows in `blobs` Gaussian blobs of unit spread, centres spread by `spread`, offset far from the origin. */
    private static FloatMatrix blobs(int n, int d, int blobs, double spread, double offset, long seed) {
        Random r = new Random(seed);
        double[][] centre = new double[blobs][d];
        for (double[] c : centre) {
            for (int j = 0; j < d; j++) {
                c[j] = offset + r.nextGaussian() * spread;
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double[] c = centre[r.nextInt(blobs)];
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (c[j] + r.nextGaussian());
            }
        }
        return new FloatMatrix(x, n, d);
    }

    /** Distinct row indices: a repeated centroid would make ties that only rounding decides. */
    private static int[] distinct(int count, int n, long seed) {
        return new Random(seed).ints(0, n).distinct().limit(count).toArray();
    }

    private static double exactDistance(FloatMatrix a, int i, FloatMatrix b, int j) {
        double s = 0;
        for (int q = 0; q < a.dim(); q++) {
            double v = (double) a.get(i, q) - b.get(j, q);
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static AnchoredSearch.Found searchGrouped(
            FloatMatrix data, int[] group, FloatMatrix anchors, FloatMatrix centroids, int[] rowsOut) {
        int[] start = new int[anchors.rows() + 1];
        for (int g : group) {
            start[g + 1]++;
        }
        for (int a = 0; a < anchors.rows(); a++) {
            start[a + 1] += start[a];
        }
        int[] fill = start.clone();
        for (int i = 0; i < group.length; i++) {
            rowsOut[fill[group[i]]++] = i;
        }
        try (Workers workers = new Workers(2)) {
            return new AnchoredSearch(Kernels.fastest(), workers, new DistanceCount())
                    .search(data, rowsOut, start, anchors, centroids);
        }
    }

    /**
     * The anchored search finds the full search's nearest centroid; where rounding of distances
     * from norms decides between two centroids ({@code exactIndices} false), it finds one whose
     * exact distance is the smallest within that rounding.
     */
    private static void assertSameAsFullSearch(
            FloatMatrix data, int[] group, FloatMatrix anchors, FloatMatrix centroids, boolean exactIndices) {
        int n = data.rows();
        int[] rows = new int[n];
        AnchoredSearch.Found found = searchGrouped(data, group, anchors, centroids, rows);
        int[] idx = new int[n * 2];
        float[] d2 = new float[n * 2];
        try (NearestCentroids full = new NearestCentroids(Kernels.fastest(), 2)) {
            full.nearestM(data, centroids, 2, idx, d2);
        }
        float[] rowNorms = data.rowNormsSquared();
        float[] centroidNorms = centroids.rowNormsSquared();
        int[] expected = new int[n];
        int[] got = new int[n];
        for (int r = 0; r < n; r++) {
            int i = rows[r];
            expected[i] = idx[2 * i];
            got[i] = found.nearest()[r];
            // both come from norms and dot products, whose rounding scales with the norms
            float rounding = 1e-5f * (rowNorms[i] + centroidNorms[idx[2 * i]]) + 1e-6f;
            assertEquals(d2[2 * i], found.distSq()[r], rounding, "row " + i);
            // the lower bound holds for every other centroid (exact distances, in double)
            for (int c = 0; c < centroids.rows(); c++) {
                if (c != found.nearest()[r]) {
                    double exact = exactDistance(data, i, centroids, c);
                    assertTrue(
                            found.lowerOthers()[r] <= exact * (1 + 1e-6),
                            "row " + i + ": lower bound " + found.lowerOthers()[r] + " above its distance to centroid "
                                    + c + ", " + exact);
                }
            }
        }
        if (exactIndices) {
            assertArrayEquals(expected, got);
        }
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < centroids.rows(); c++) {
                best = Math.min(best, exactDistance(data, i, centroids, c));
            }
            double mine = exactDistance(data, i, centroids, got[i]);
            double rounding = 1e-5 * (rowNorms[i] + centroidNorms[got[i]]);
            assertTrue(mine * mine <= best * best + rounding, "row " + i + ": found " + mine + ", nearest is " + best);
        }
    }

    @Test
    void findsTheFullSearchNearestWhateverTheAnchors() {
        FloatMatrix data = blobs(3000, 24, 30, 6, 0, 1);
        FloatMatrix centroids = data.selectRows(distinct(120, 3000, 2));
        // anchors: an earlier clustering (each row near its anchor) ...
        FloatMatrix anchors = data.selectRows(distinct(40, 3000, 3));
        int[] near = new int[3000];
        try (NearestCentroids nc = new NearestCentroids(Kernels.fastest(), 1)) {
            nc.assign(data, anchors, near, new float[3000], Progress.silent());
        }
        assertSameAsFullSearch(data, near, anchors, centroids, true);
        // ... and anchors that have nothing to do with the rows: still exact, only slower
        int[] arbitrary = new Random(4).ints(3000, 0, 40).toArray();
        assertSameAsFullSearch(data, arbitrary, anchors, centroids, true);
    }

    @Test
    void staysExactFarFromTheOrigin() {
        // distances from norms lose digits when ||x|| is large against the distances: the ball is widened for it
        FloatMatrix data = blobs(2000, 16, 20, 3, 300, 5);
        FloatMatrix centroids = data.selectRows(distinct(80, 2000, 6));
        int[] near = new int[2000];
        try (NearestCentroids nc = new NearestCentroids(Kernels.fastest(), 1)) {
            nc.assign(data, centroids, near, new float[2000], Progress.silent());
        }
        assertSameAsFullSearch(data, near, centroids, centroids, false);
    }

    @Test
    void searchesOnlyTheCentroidsNearEachGroup() {
        FloatMatrix data = blobs(4000, 32, 40, 20, 0, 7);
        FloatMatrix centroids = data.selectRows(distinct(200, 4000, 8));
        int[] near = new int[4000];
        try (NearestCentroids nc = new NearestCentroids(Kernels.fastest(), 1)) {
            nc.assign(data, centroids, near, new float[4000], Progress.silent());
        }
        AnchoredSearch.Found found = searchGrouped(data, near, centroids, centroids, new int[4000]);
        double share = found.centroidsSearched() / (4000.0 * 200);
        assertTrue(
                share < 0.2, "well separated blobs: each group searches its own blob's centroids, searched " + share);
    }
}
