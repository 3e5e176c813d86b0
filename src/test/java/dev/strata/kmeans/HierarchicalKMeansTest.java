package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.List;
import org.junit.jupiter.api.Test;

class HierarchicalKMeansTest {

    /** Keeps every progress message. */
    private static final class Listening extends Progress {
        private final List<String> lines;

        Listening(List<String> lines) {
            super(null);
            this.lines = lines;
        }

        @Override
        public synchronized void message(String text) {
            lines.add(text);
        }
    }

    static ClusterTree build(FloatMatrix data, List<LevelSpec> levels, Resampling mode, long seed, int threads) {
        try (KMeans km = new KMeans(Kernels.fastest(), threads, Progress.silent())) {
            return new HierarchicalKMeans(km, Progress.silent())
                    .fit(data, levels, new KMeansConfig(1, 10, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, seed), mode, null);
        }
    }

    /** Isotropic concepts on the unit sphere in 256 dimensions: the setting where a small sample collapses a level. */
    static FloatMatrix highDimensionalConcepts(int n, int d, int concepts, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[][] c = new float[concepts][];
        for (int i = 0; i < concepts; i++) {
            c[i] = HubSplitterTest.unit(r, d);
        }
        float[] x = new float[n * d];
        double sigma = 0.5 / Math.sqrt(d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = c[i % concepts][j] + (float) (r.nextGaussian() * sigma);
            }
        }
        return new FloatMatrix(x, n, d);
    }

    @Test
    void aCollapsingSampleSizeIsRaisedToHalfTheMeanClusterSize() {
        // measured without the guard: s = 2 leaves 47% then 58-65% of 150 leaves empty or singleton
        FloatMatrix data = highDimensionalConcepts(3000, 256, 4, 1);
        List<String> messages = new java.util.ArrayList<>();
        Progress listening = new Listening(messages);
        ClusterTree tree;
        try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
            tree = new HierarchicalKMeans(km, listening)
                    .fit(
                            data,
                            List.of(new LevelSpec(150, 2, 5)),
                            new KMeansConfig(1, 20, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 3),
                            Resampling.CLOSEST,
                            null);
        }
        long small = java.util.Arrays.stream(tree.leaves().size())
                .filter(v -> v <= 1)
                .count();
        assertTrue(small <= 150 / 2, small + " of 150 leaves empty or singleton");
        assertTrue(
                messages.stream().anyMatch(m -> m.contains("collapsed the level") && m.contains("redone with 10")),
                String.join("\n", messages));
    }

    @Test
    void aHealthySampleSizeIsLeftAlone() {
        FloatMatrix data = highDimensionalConcepts(3000, 256, 4, 1);
        List<String> messages = new java.util.ArrayList<>();
        Progress listening = new Listening(messages);
        try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
            new HierarchicalKMeans(km, listening)
                    .fit(
                            data,
                            List.of(new LevelSpec(150, 10, 5)),
                            new KMeansConfig(1, 20, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 3),
                            Resampling.CLOSEST,
                            null);
        }
        assertTrue(messages.stream().noneMatch(m -> m.contains("collapsed")), String.join("\n", messages));
        assertEquals(
                5,
                messages.stream()
                        .filter(m -> m.matches("level 1: resampling step \\d+: .*"))
                        .count());
    }

    @Test
    void treeInvariantsHoldOnEveryLevel() {
        int[] labels = new int[10 * 120];
        FloatMatrix data = KMeansTest.blobs(10, 120, 6, 4, labels);
        List<LevelSpec> levels = List.of(new LevelSpec(60, 6, 2), new LevelSpec(15, 2, 2), new LevelSpec(4, 0, 0));
        for (Resampling mode : Resampling.values()) {
            ClusterTree tree = build(data, levels, mode, 5, 2);
            assertEquals(3, tree.depth());
            assertEquals(data.rows(), tree.leaves().totalSize());
            for (int t = 1; t < tree.depth(); t++) {
                ClusterLevel below = tree.levels().get(t - 1);
                ClusterLevel here = tree.levels().get(t);
                assertEquals(below.totalSize(), here.totalSize(), "sizes add up at level " + (t + 1));
                long[] sum = new long[here.clusters()];
                for (int c = 0; c < below.clusters(); c++) {
                    sum[below.parent()[c]] += below.size()[c];
                }
                assertArrayEquals(sum, here.size());
            }
            for (int p : tree.top().parent()) {
                assertEquals(-1, p);
            }
            // every leaf has a full path ending at a top cluster
            for (int leaf = 0; leaf < tree.leaves().clusters(); leaf++) {
                int[] path = tree.pathOf(leaf);
                assertEquals(3, path.length);
                assertTrue(path[2] >= 0 && path[2] < 4);
            }
        }
    }

    @Test
    void sameSeedSameTree() {
        int[] labels = new int[5 * 100];
        FloatMatrix data = KMeansTest.blobs(5, 100, 4, 8, labels);
        List<LevelSpec> levels = List.of(new LevelSpec(40, 5, 3), new LevelSpec(8, 2, 3));
        ClusterTree a = build(data, levels, Resampling.CLOSEST, 3, 1);
        ClusterTree b = build(data, levels, Resampling.CLOSEST, 3, 2);
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(
                    a.levels().get(t).centroids().data(),
                    b.levels().get(t).centroids().data());
            assertArrayEquals(a.levels().get(t).parent(), b.levels().get(t).parent());
        }
    }

    @Test
    void levelsMustShrink() {
        FloatMatrix data = KMeansTest.blobs(2, 10, 2, 1, new int[20]);
        StrataException e = assertThrows(
                StrataException.class,
                () -> build(data, List.of(new LevelSpec(5, 0, 0), new LevelSpec(9, 0, 0)), Resampling.CLOSEST, 1, 1));
        assertTrue(e.getMessage().contains("level 2"), e.getMessage());
    }

    @Test
    void resamplingCopesWithASampleSmallerThanK() {
        // 5 distinct points, 6 copies each, 20 clusters: at most 5 clusters are non-empty, so a
        // sample of 2 per cluster (10 rows) is smaller than k and cannot be seeded afresh
        float[] pts = new float[30 * 2];
        for (int i = 0; i < 30; i++) {
            pts[2 * i] = (i % 5) * 10f;
            pts[2 * i + 1] = (i % 5) * -3f;
        }
        FloatMatrix data = new FloatMatrix(pts, 30, 2);
        ClusterTree tree =
                build(data, List.of(new LevelSpec(20, 2, 2), new LevelSpec(3, 0, 0)), Resampling.CLOSEST, 1, 1);
        assertEquals(30, tree.leaves().totalSize());
        assertEquals(30, tree.top().totalSize());
        long nonEmpty =
                java.util.Arrays.stream(tree.leaves().size()).filter(v -> v > 0).count();
        assertTrue(nonEmpty <= 5, "only 5 distinct points: " + nonEmpty + " non-empty leaves");
    }
}
