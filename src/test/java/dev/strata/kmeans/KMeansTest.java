package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KMeansTest {

    /** k blobs far apart in d dims, n/k points each, labels = blob index. */
    static FloatMatrix blobs(int k, int perBlob, int d, long seed, int[] labels) {
        Random rnd = new Random(seed);
        float[][] centres = new float[k][d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                centres[c][j] = (float) (rnd.nextGaussian() * 20);
            }
        }
        FloatMatrix m = FloatMatrix.zeros(k * perBlob, d);
        for (int i = 0; i < k * perBlob; i++) {
            int c = i % k;
            labels[i] = c;
            for (int j = 0; j < d; j++) {
                m.data()[i * d + j] = centres[c][j] + (float) rnd.nextGaussian() * 0.5f;
            }
        }
        return m;
    }

    private static KMeansResult run(FloatMatrix data, KMeansConfig cfg, int threads) {
        try (KMeans km = new KMeans(Kernels.fastest(), threads, Progress.silent())) {
            return km.fit(data, cfg);
        }
    }

    /**
     * The nearest-centroid search and the update steps share one set of threads: T threads in
     * all, the caller being one of them, so T - 1 new ones (not a pool per piece, 2T - 1).
     */
    @Test
    void oneKMeansRunsOnTThreads() {
        int[] labels = new int[16 * 300];
        FloatMatrix data = blobs(16, 300, 16, 3, labels);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (KMeans km = new KMeans(Kernels.fastest(), 3, Progress.silent())) {
            km.fit(data, new KMeansConfig(16, 3, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 5));
            List<String> started = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!before.contains(t) && t.getName().startsWith("strata-")) {
                    started.add(t.getName());
                }
            }
            assertEquals(2, started.size(), started.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Init.class)
    void recoversWellSeparatedClusters(Init init) {
        int k = 8;
        int[] labels = new int[k * 200];
        FloatMatrix data = blobs(k, 200, 16, 1, labels);
        KMeansResult r = run(data, new KMeansConfig(k, 30, 0, init, Metric.L2, 7), 2);
        // every found cluster is exactly one blob: the label -> cluster map is a bijection
        int[] clusterOfLabel = new int[k];
        java.util.Arrays.fill(clusterOfLabel, -1);
        for (int i = 0; i < labels.length; i++) {
            int c = r.assignment()[i];
            if (clusterOfLabel[labels[i]] == -1) {
                clusterOfLabel[labels[i]] = c;
            }
            if (init == Init.KMEANS_PLUS_PLUS) {
                assertEquals(clusterOfLabel[labels[i]], c, "blob " + labels[i] + " split over clusters");
            }
        }
        if (init == Init.KMEANS_PLUS_PLUS) {
            Set<Integer> used = new HashSet<>();
            for (int c : clusterOfLabel) {
                used.add(c);
            }
            assertEquals(k, used.size());
            // objective ~ n * d * sigma^2 = 1600 * 16 * 0.25
            assertTrue(r.objective() < 1600 * 16 * 0.25 * 1.3, "objective " + r.objective());
        }
        for (float v : r.centroids().data()) {
            assertFalse(Float.isNaN(v));
        }
    }

    @Test
    void sameSeedSameModelAndThreadCountDoesNotMatter() {
        int[] labels = new int[6 * 300];
        FloatMatrix data = blobs(6, 300, 10, 3, labels);
        KMeansConfig cfg = new KMeansConfig(12, 10, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 99);
        KMeansResult a = run(data, cfg, 1);
        KMeansResult b = run(data, cfg, 1);
        KMeansResult c = run(data, cfg, 2);
        assertArrayEquals(a.centroids().data(), b.centroids().data());
        assertArrayEquals(a.assignment(), b.assignment());
        assertArrayEquals(a.centroids().data(), c.centroids().data());
        KMeansResult other = run(data, cfg.withSeed(100), 1);
        assertFalse(
                java.util.Arrays.equals(a.centroids().data(), other.centroids().data()));
    }

    @Test
    void stopsAtAFixedPointWithTheResultOfRunningEveryIteration() {
        int[] labels = new int[4 * 100];
        FloatMatrix data = blobs(4, 100, 4, 5, labels);
        KMeansResult capped = run(data, new KMeansConfig(4, 50, 0, Init.RANDOM, Metric.L2, 1), 1);
        assertTrue(capped.iterationsRun() < 50, "well separated blobs converge long before 50 iterations");
        KMeansResult longer = run(data, new KMeansConfig(4, 500, 0, Init.RANDOM, Metric.L2, 1), 1);
        assertEquals(capped.iterationsRun(), longer.iterationsRun());
        assertArrayEquals(capped.centroids().data(), longer.centroids().data());
        assertArrayEquals(capped.assignment(), longer.assignment());
        // one update fewer than the fixed point needs stops on the iteration cap, not on the fixed point
        KMeansResult short1 =
                run(data, new KMeansConfig(4, capped.iterationsRun() - 1, 0, Init.RANDOM, Metric.L2, 1), 1);
        assertEquals(capped.iterationsRun() - 1, short1.iterationsRun());
        assertTrue(run(data, new KMeansConfig(4, 50, 1e-6, Init.KMEANS_PLUS_PLUS, Metric.L2, 1), 1)
                        .iterationsRun()
                < 50);
    }

    @Test
    void boundedAssignmentStepsGiveTheFullSearchResult() {
        // overlapping blobs, so rows keep moving for many iterations; and well separated ones
        for (double spread : new double[] {40, 3}) {
            Random r = new Random(17);
            int n = 6000;
            int d = 12;
            float[] x = new float[n * d];
            for (int i = 0; i < n; i++) {
                int blob = i % 9;
                for (int j = 0; j < d; j++) {
                    x[i * d + j] = (float) ((blob * 7 + j) % 5 * 10.0 / spread + r.nextGaussian());
                }
            }
            FloatMatrix data = new FloatMatrix(x, n, d);
            KMeansConfig cfg = new KMeansConfig(60, 40, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 4);
            try (KMeans bounded = new KMeans(Kernels.fastest(), 2, Progress.silent(), true);
                    KMeans full = new KMeans(Kernels.fastest(), 2, Progress.silent(), false)) {
                KMeansResult a = bounded.fit(data, cfg);
                KMeansResult b = full.fit(data, cfg);
                assertTrue(a.iterationsRun() > 3, "rows moved for a while: " + a.iterationsRun());
                assertEquals(b.iterationsRun(), a.iterationsRun());
                assertArrayEquals(b.centroids().data(), a.centroids().data());
                assertArrayEquals(b.assignment(), a.assignment());
            }
        }
    }

    @Test
    void emptyClustersKeepTheirCentroidInsteadOfNaN() {
        // 3 distinct points, 3 copies each, and a warm start whose third centroid attracts no one
        float[] pts = {0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20};
        FloatMatrix data = new FloatMatrix(pts, 9, 2);
        FloatMatrix initial = new FloatMatrix(new float[] {0, 0, 15, 15, 1000, 1000}, 3, 2);
        try (KMeans km = new KMeans(Kernels.fastest(), 1, Progress.silent())) {
            KMeansResult r = km.fit(data, new KMeansConfig(3, 5, 0, Init.RANDOM, Metric.L2, 1), initial);
            assertEquals(1000f, r.centroids().get(2, 0));
            assertEquals(0L, r.clusterSizes()[2]);
        }
    }

    @Test
    void cosineKeepsCentroidsOnTheUnitSphere() {
        int[] labels = new int[5 * 100];
        FloatMatrix data = blobs(5, 100, 8, 11, labels);
        data.normalizeRows();
        KMeansResult r = run(data, new KMeansConfig(5, 10, 0, Init.KMEANS_PLUS_PLUS, Metric.COSINE, 2), 2);
        float[] norms = r.centroids().rowNormsSquared();
        for (float v : norms) {
            assertEquals(1.0, v, 1e-4);
        }
    }

    @Test
    void duplicatePointsDoNotBreakSeeding() {
        FloatMatrix data = new FloatMatrix(new float[40], 20, 2); // all zeros
        KMeansResult r = run(data, new KMeansConfig(3, 3, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 1), 1);
        assertEquals(20, r.assignment().length);
        for (float v : r.centroids().data()) {
            assertFalse(Float.isNaN(v));
        }
    }

    @Test
    void refusesMoreClustersThanPoints() {
        FloatMatrix data = new FloatMatrix(new float[10], 5, 2);
        StrataException e = assertThrows(
                StrataException.class, () -> run(data, new KMeansConfig(6, 3, 0, Init.RANDOM, Metric.L2, 1), 1));
        assertTrue(e.getMessage().contains("k=6"));
    }
}
