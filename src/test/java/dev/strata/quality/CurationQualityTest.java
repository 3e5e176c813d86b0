package dev.strata.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.bench.GridKl;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.LeafStrategy;
import dev.strata.synth.PaperMixture2d;
import dev.strata.synth.Rings;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The paper's two toy checks, on data small enough for the test suite. The full-size runs and
 * their figures are in docs/benchmarks.md ("Quality").
 */
class CurationQualityTest {

    private static ClusterTree build(FloatMatrix points, List<LevelSpec> levels, int iters, long seed) {
        try (KMeans km = new KMeans(Kernels.fastest(), 2, Progress.silent())) {
            return new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            points,
                            levels,
                            new KMeansConfig(1, iters, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, seed),
                            Resampling.CLOSEST,
                            null);
        }
    }

    private static long[] selectedPerLabel(ClusterTree tree, SyntheticData data, long target, int labels) {
        LeafAssignment a;
        try (var nearest = new NearestCentroids(Kernels.fastest(), 2)) {
            a = new ExactAssigner(tree, nearest).assign(data.points(), Progress.silent());
        }
        int[] sel = BalancedSelection.select(tree, a.leaf(), a.distanceSq(), target, LeafStrategy.RANDOM, 1);
        assertEquals(target, sel.length);
        long[] per = new long[labels];
        for (int r : sel) {
            per[data.labels()[r]]++;
        }
        return per;
    }

    /** Five rings at 100:1, a fifth of the paper's size: the selection is close to equal per ring. */
    @Test
    void ringsComeOutBalancedAndResamplingHelps() {
        SyntheticData rings = Rings.generate(Rings.scaledSizes(0.2), 3);
        List<LevelSpec> resampled = List.of(new LevelSpec(200, 15, 10), new LevelSpec(60, 2, 10));
        List<LevelSpec> plain = List.of(new LevelSpec(200, 0, 0), new LevelSpec(60, 0, 0));
        long[] with = selectedPerLabel(build(rings.points(), resampled, 20, 5), rings, 300, 5);
        long[] without = selectedPerLabel(build(rings.points(), plain, 20, 5), rings, 300, 5);
        long max = 0;
        long min = Long.MAX_VALUE;
        for (long c : with) {
            max = Math.max(max, c);
            min = Math.min(min, c);
        }
        // raw data is 4000:40 (100:1); the smallest ring holds 40 points, target 300 / 5 rings = 60
        assertTrue(min >= 20, "smallest ring got " + min + " " + Arrays.toString(with));
        assertTrue(max <= 4 * min, "per-ring counts " + Arrays.toString(with));
        assertTrue(
                with[0] < without[0],
                "resampling should take share from the largest ring: with " + Arrays.toString(with) + ", without "
                        + Arrays.toString(without));
    }

    /**
     * The paper's 2-D mixture: top-level centroids of 3 levels with resampling spread much closer
     * to uniform over [-3,3]^2 than plain k-means centroids do.
     */
    @Test
    void mixtureTopCentroidsCoverTheSquareNearlyUniformly() {
        SyntheticData mix = PaperMixture2d.generate(4);
        ClusterTree hier = build(
                mix.points(),
                List.of(new LevelSpec(3000, 2, 10), new LevelSpec(1000, 2, 10), new LevelSpec(300, 2, 10)),
                20,
                7);
        ClusterTree flat = build(mix.points(), List.of(new LevelSpec(300, 0, 0)), 20, 7);
        double klHier = GridKl.toUniform(hier.top().centroids(), 6);
        double klFlat = GridKl.toUniform(flat.top().centroids(), 6);
        System.out.printf("mixture KL to uniform (6x6 grid): hierarchical %.3f, plain k-means %.3f%n", klHier, klFlat);
        assertTrue(klHier < 0.5 * klFlat, "hierarchical " + klHier + " vs plain " + klFlat);
        assertTrue(klHier < 0.15, "hierarchical KL " + klHier);
    }
}
