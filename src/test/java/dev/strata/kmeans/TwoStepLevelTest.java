package dev.strata.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The paper's two-step level (splits): a coarse k-means, then every cluster split by its own k-means. */
class TwoStepLevelTest {
    private static final KMeansConfig BASE = new KMeansConfig(1, 20, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 5);

    /** `groups` far-apart groups, each of `parts` tight blobs; label = group * parts + blob. */
    private static FloatMatrix groupsOfBlobs(int groups, int parts, int perBlob, int d, int[] labels) {
        Random r = new Random(9);
        int n = groups * parts * perBlob;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int label = i % (groups * parts);
            labels[i] = label;
            int g = label / parts;
            int b = label % parts;
            for (int j = 0; j < d; j++) {
                double centre = (j == g % d ? 100.0 * (1 + g / d) : 0) + (j == (b + 3) % d ? 8.0 : 0);
                x[i * d + j] = (float) (centre + r.nextGaussian() * 0.2);
            }
        }
        return new FloatMatrix(x, n, d);
    }

    private static ClusterTree build(FloatMatrix data, List<LevelSpec> levels, int threads) {
        try (KMeans km = new KMeans(Kernels.fastest(), threads, Progress.silent())) {
            return new HierarchicalKMeans(km, Progress.silent()).fit(data, levels, BASE, Resampling.CLOSEST, null);
        }
    }

    @Test
    void refinesTheCoarseKMeansAndRecoversEveryBlob() {
        int groups = 6;
        int parts = 4;
        int[] labels = new int[groups * parts * 50];
        FloatMatrix data = groupsOfBlobs(groups, parts, 50, 16, labels);
        ClusterTree tree =
                build(data, List.of(new LevelSpec(groups * parts, 0, 0, parts), new LevelSpec(groups, 0, 0)), 2);
        int[] leaf = tree.level(1).parent().length == groups * parts ? leaves(tree, data) : null;
        assertEquals(groups * parts, tree.level(1).clusters(), "no split left a cluster empty");
        // every leaf is exactly one blob, and each blob one leaf
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < labels.length; i++) {
            pairs.add(labels[i] + ":" + leaf[i]);
        }
        assertEquals(groups * parts, pairs.size(), "a leaf mixes blobs or a blob spans leaves");
        // and the split respects the coarse k-means: the leaves of a group share one parent
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < labels.length; j += 37) {
                if (labels[i] / parts == labels[j] / parts) {
                    assertEquals(tree.level(1).parent()[leaf[i]], tree.level(1).parent()[leaf[j]]);
                }
            }
        }
    }

    private static int[] leaves(ClusterTree tree, FloatMatrix data) {
        int[] out = new int[data.rows()];
        try (dev.strata.vector.NearestCentroids nc = new dev.strata.vector.NearestCentroids(Kernels.fastest(), 1)) {
            nc.assign(data, tree.level(1).centroids(), out, new float[data.rows()], Progress.silent());
        }
        return out;
    }

    @Test
    void everyCoarseClusterGetsItsSplitsWhereOneKMeansWouldNot() {
        // one diffuse group and five tight blobs: one k-means with 24 clusters spends them on the
        // diffuse group; the two-step level gives each of the 6 coarse clusters exactly 4
        Random r = new Random(3);
        int d = 8;
        int diffuse = 1000;
        int tight = 60;
        int n = diffuse + 5 * tight;
        float[] x = new float[n * d];
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = i < diffuse ? 0 : 1 + (i - diffuse) / tight;
            for (int j = 0; j < d; j++) {
                double centre = group[i] == 0 ? 0 : (j == group[i] % d ? 200 : 0);
                double spread = group[i] == 0 ? 10 : 0.5;
                x[i * d + j] = (float) (centre + r.nextGaussian() * spread);
            }
        }
        FloatMatrix data = new FloatMatrix(x, n, d);
        ClusterTree split = build(data, List.of(new LevelSpec(24, 0, 0, 4)), 2);
        ClusterTree plain = build(data, List.of(new LevelSpec(24, 0, 0)), 2);
        for (int g = 1; g <= 5; g++) {
            assertEquals(4, leavesOf(split, data, group, g), "two-step: leaves over tight blob " + g);
        }
        int plainLeaves = 0;
        for (int g = 1; g <= 5; g++) {
            plainLeaves += leavesOf(plain, data, group, g);
        }
        assertTrue(plainLeaves < 20, "one k-means spends its clusters on the diffuse group: " + plainLeaves);
    }

    private static int leavesOf(ClusterTree tree, FloatMatrix data, int[] group, int g) {
        int[] leaf = leaves(tree, data);
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < leaf.length; i++) {
            if (group[i] == g) {
                used.add(leaf[i]);
            }
        }
        return used.size();
    }

    @Test
    void splitsAreTheSameWhateverTheThreadCount() {
        int[] labels = new int[5 * 3 * 40];
        FloatMatrix data = groupsOfBlobs(5, 3, 40, 8, labels);
        List<LevelSpec> levels = List.of(new LevelSpec(30, 0, 0, 3));
        ClusterTree one = build(data, levels, 1);
        ClusterTree two = build(data, levels, 2);
        assertArrayEquals(
                one.level(1).centroids().data(), two.level(1).centroids().data());
        assertArrayEquals(one.level(1).size(), two.level(1).size());
    }

    @Test
    void clustersSmallerThanTheSplitKeepOneClusterPerRowAndEmptyOnesAreDropped() {
        // 3 far-apart groups of 2 identical rows each: a split into 4 can only make 2 clusters per group,
        // and k-means over identical rows leaves one of the two empty
        float[] x = new float[6 * 2];
        for (int i = 0; i < 6; i++) {
            x[2 * i] = 100f * (i / 2);
        }
        FloatMatrix data = new FloatMatrix(x, 6, 2);
        ClusterTree tree = build(data, List.of(new LevelSpec(12, 0, 0, 4)), 1);
        assertEquals(3, tree.level(1).clusters());
        assertArrayEquals(new long[] {2, 2, 2}, tree.level(1).size());
    }

    @Test
    void refusesSplitsThatCannotBeMade() {
        String notMultiple = assertThrows(StrataException.class, () -> new LevelSpec(1000, 0, 0, 3))
                .getMessage();
        assertTrue(notMultiple.contains("multiple of its splits"), notMultiple);
        String resampling = assertThrows(StrataException.class, () -> new LevelSpec(1000, 15, 10, 10))
                .getMessage();
        assertTrue(resampling.contains("cannot also resample"), resampling);
        // a split level that ends with fewer clusters than the next level asks for
        float[] x = new float[6 * 2];
        for (int i = 0; i < 6; i++) {
            x[2 * i] = 100f * (i / 2);
        }
        String tooFew = assertThrows(
                        StrataException.class,
                        () -> build(
                                new FloatMatrix(x, 6, 2),
                                List.of(new LevelSpec(12, 0, 0, 4), new LevelSpec(4, 0, 0)),
                                1))
                .getMessage();
        assertTrue(tooFew.contains("level 2 asks for 4 clusters but level 1 has only 3"), tooFew);
    }
}
