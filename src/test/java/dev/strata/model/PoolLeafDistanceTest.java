package dev.strata.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.TestTrees;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.progress.Progress;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.Kernels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool's mean distance to its leaf centroid: measured by bootstrap, kept by the model file, optional on read. */
class PoolLeafDistanceTest {
    @TempDir
    Path dir;

    @Test
    void bootstrapRecordsItAndTheFileKeepsIt() {
        SyntheticData data = new GaussianMixture(1500, 8, 10, 1.0, 3).generate();
        ClusterTree built;
        try (KMeans km = new KMeans(Kernels.fastest(), 1, Progress.silent())) {
            built = new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            data.points(),
                            List.of(new LevelSpec(30, 10, 1), new LevelSpec(5, 2, 1)),
                            new KMeansConfig(1, 10, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, 3),
                            Resampling.CLOSEST,
                            null);
        }
        // the mean over points of the squared distance to the nearest leaf centroid, computed here directly
        double sum = 0;
        for (int i = 0; i < data.points().rows(); i++) {
            float[] x = data.points().row(i);
            double best = Double.MAX_VALUE;
            for (int c = 0; c < built.leaves().clusters(); c++) {
                float[] y = built.leaves().centroids().row(c);
                double d = 0;
                for (int j = 0; j < x.length; j++) {
                    d += (x[j] - y[j]) * (x[j] - y[j]);
                }
                best = Math.min(best, d);
            }
            sum += best;
        }
        assertEquals(
                sum / data.points().rows(),
                built.poolLeafDistanceSq(),
                1e-4 * sum / data.points().rows());
        ModelFile.write(built, dir.resolve("m.strata"));
        ClusterTree read = ModelFile.read(dir.resolve("m.strata"));
        assertEquals(built.poolLeafDistanceSq(), read.poolLeafDistanceSq(), 0);
    }

    @Test
    void aModelWithoutItReadsAsUnknown() {
        ClusterTree tree = TestTrees.twoLevel(2, new int[] {0, 1}, new long[] {3, 4}, 2, 1);
        ModelFile.write(tree, dir.resolve("old.strata"));
        assertTrue(Double.isNaN(ModelFile.read(dir.resolve("old.strata")).poolLeafDistanceSq()));
    }
}
