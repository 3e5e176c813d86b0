package dev.strata;

import dev.strata.model.BuildParams;
import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.vector.FloatMatrix;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small hand-made trees for tests that need a model but not a k-means run. */
public final class TestTrees {
    private TestTrees() {}

    /** A 2-level tree: leaves with the given parents, random centroids, sizes as given. */
    public static ClusterTree twoLevel(int dim, int[] leafParent, long[] leafSize, int tops, long seed) {
        Random rnd = new Random(seed);
        FloatMatrix leaves = random(leafParent.length, dim, rnd);
        FloatMatrix top = random(tops, dim, rnd);
        long[] topSize = new long[tops];
        for (int i = 0; i < leafParent.length; i++) {
            topSize[leafParent[i]] += leafSize[i];
        }
        int[] none = new int[tops];
        Arrays.fill(none, -1);
        BuildParams params = new BuildParams(
                List.of(leafParent.length, tops),
                List.of(2, 2),
                List.of(0, 0),
                5,
                0,
                "kmeans++",
                "closest",
                seed,
                1,
                "test",
                Arrays.stream(leafSize).sum(),
                "test");
        return new ClusterTree(
                Metric.L2,
                dim,
                List.of(new ClusterLevel(leaves, leafParent, leafSize), new ClusterLevel(top, none, topSize)),
                params,
                "");
    }

    public static FloatMatrix random(int rows, int dim, Random rnd) {
        float[] d = new float[rows * dim];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        return new FloatMatrix(d, rows, dim);
    }
}
