package dev.strata.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.TestTrees;
import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batched descent groups a batch's rows by parent and multiplies each parent's children with
 * all of its rows at once; it must return exactly what the row-by-row descent returns: the same
 * leaf for every row and bitwise the same distance, on every kernel whose dot products do not
 * depend on the rows that share a call (OpenBLAS's do, so the descent does not use it, see
 * {@link Kernels#forDescent()}).
 */
class BatchedDescentTest {

    /** Zipf-sized blobs, so a few parents are shared by many rows of a batch and most by one or two. */
    private static FloatMatrix unevenBlobs(int rows, int dim, long seed) {
        Random rnd = new Random(seed);
        int blobs = 40;
        float[] centres = new float[blobs * dim];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) (rnd.nextGaussian() * 6);
        }
        double[] cumulative = new double[blobs];
        double sum = 0;
        for (int b = 0; b < blobs; b++) {
            sum += 1.0 / (b + 1);
            cumulative[b] = sum;
        }
        float[] d = new float[rows * dim];
        for (int i = 0; i < rows; i++) {
            double u = rnd.nextDouble() * sum;
            int b = 0;
            while (cumulative[b] < u) {
                b++;
            }
            for (int k = 0; k < dim; k++) {
                d[i * dim + k] = centres[b * dim + k] + (float) rnd.nextGaussian();
            }
        }
        return new FloatMatrix(d, rows, dim);
    }

    /** "descent" is the kernel the job's beam assigner gets; the others are forced by name. */
    private static DotKernel kernel(String name) {
        DotKernel kernel = name.equals("descent") ? Kernels.forDescent() : Kernels.byName(name);
        assertTrue(kernel.rowIndependent(), kernel.name() + " must not depend on the rows that share a call");
        return kernel;
    }

    private static void assertSameAsRowByRow(ClusterTree tree, DotKernel kernel, FloatMatrix rows, int... beams) {
        for (int b : beams) {
            LeafAssignment want = RowByRowDescent.assign(tree, b, kernel, rows);
            try (BeamAssigner batched = new BeamAssigner(tree, b, kernel)) {
                // twice: the second call reuses the scratch the first one grew
                for (int call = 0; call < 2; call++) {
                    LeafAssignment got = batched.assign(rows);
                    assertArrayEquals(want.leaf(), got.leaf(), kernel.name() + ", beam " + b + ", call " + call);
                    assertArrayEquals(want.distanceSq(), got.distanceSq(), 0f, kernel.name() + ", beam " + b);
                }
            }
        }
    }

    /** Built once for every kernel; dim 37 is not a multiple of any vector width, so every kernel's tails are exercised. */
    private static ClusterTree threeLevels;

    private static synchronized ClusterTree threeLevels() {
        if (threeLevels == null) {
            threeLevels = AssignTrees.build(unevenBlobs(3000, 37, 1), Metric.L2, 3, 300, 40, 6);
        }
        return threeLevels;
    }

    @ParameterizedTest
    @ValueSource(strings = {"descent", "vector", "scalar"})
    void threeLevelTreeOnUnevenDataMatchesTheRowByRowDescent(String name) {
        assertSameAsRowByRow(threeLevels(), kernel(name), unevenBlobs(700, 37, 2), 1, 2, 3, 5);
    }

    /**
     * Equal distances inside one parent and across parents, exact in float (small integers): the
     * scans that offer only a row's best one or two candidates per parent keep the lowest index
     * among equals, as offering every candidate does. The last rows are far outside float range
     * (their distances overflow to infinities): they still get the row-by-row descent's leaf.
     */
    @ParameterizedTest
    @ValueSource(strings = {"descent", "vector", "scalar"})
    void equalDistancesGoToTheLowestIndexAsRowByRow(String name) {
        int dim = 4;
        float[] leaves = {
            1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, // under top 0: leaves 0 and 1 equal
            0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, // under top 1: leaves 3 and 4 equal
            1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0 // under top 2: equal to leaves 0 and 2
        };
        float[] tops = {1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0}; // tops 0 and 2 equal
        ClusterTree tree = new ClusterTree(
                Metric.L2,
                dim,
                List.of(
                        new ClusterLevel(
                                new FloatMatrix(leaves, 9, dim),
                                new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2},
                                new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1}),
                        new ClusterLevel(new FloatMatrix(tops, 3, dim), new int[] {-1, -1, -1}, new long[] {3, 3, 3})),
                null,
                "");
        List<float[]> rows = new ArrayList<>();
        for (int a = -1; a <= 2; a++) {
            for (int b = -1; b <= 2; b++) {
                for (int c = 0; c <= 1; c++) {
                    rows.add(new float[] {a, b, c, 0});
                    rows.add(new float[] {a, b, c, c});
                }
            }
        }
        rows.add(new float[] {3e38f, 0, 0, 0});
        rows.add(new float[] {-3e38f, 3e38f, 0, 0});
        float[] d = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, d, i * dim, dim);
        }
        FloatMatrix q = new FloatMatrix(d, rows.size(), dim);
        assertSameAsRowByRow(tree, kernel(name), q, 1, 2, 3);
        try (BeamAssigner beam = new BeamAssigner(tree, 2, kernel(name))) {
            // (1, 0, 0, 0) is leaves 0, 1 and 6 and sits between tops 0 and 2 and top 1
            assertEquals(
                    0,
                    beam.assign(new FloatMatrix(new float[] {1, 0, 0, 0}, 1, dim))
                            .leaf()[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"descent", "scalar"})
    void cosineModelMatchesTheRowByRowDescent(String name) {
        DotKernel kernel = kernel(name);
        FloatMatrix train = unevenBlobs(1500, 24, 3);
        ClusterTree tree = AssignTrees.build(train, Metric.COSINE, 4, 120, 12);
        assertSameAsRowByRow(tree, kernel, unevenBlobs(300, 24, 4), 1, 2, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"descent", "scalar"})
    void aParentSharedByMoreRowsThanOneKernelCallTakesMatchesToo(String name) {
        // two top clusters with about 150 children each: beam 2 puts all 2,500 rows under both, so a
        // parent's rows are cut into several kernel calls (the dot buffer holds 2^18 floats)
        DotKernel kernel = kernel(name);
        FloatMatrix train = TestTrees.random(2000, 16, new Random(5));
        ClusterTree tree = AssignTrees.build(train, Metric.L2, 5, 300, 2);
        FloatMatrix rows = TestTrees.random(2500, 16, new Random(6));
        assertTrue(2500L * 150 > 1 << 18, "the test must exceed one kernel call per parent");
        assertSameAsRowByRow(tree, kernel, rows, 2);
    }

    /**
     * The job's tasks share one index per model ({@link BeamIndex#shared}) and assign at the same
     * time: every assigner keeps its own scratch, so two threads descending the same index at
     * once each get exactly the row-by-row result, and they were given one index, not two.
     */
    @Test
    void assignersOnOneSharedIndexDescendAtTheSameTimeAndMatchTheRowByRowDescent() throws Exception {
        ClusterTree tree = threeLevels();
        DotKernel kernel = Kernels.forDescent();
        BeamIndex index = BeamIndex.shared(tree, kernel);
        assertSame(index, BeamIndex.shared(tree, kernel), "one model and kernel, one index");
        FloatMatrix[] rows = {unevenBlobs(700, 37, 7), unevenBlobs(700, 37, 8)};
        LeafAssignment[] want = new LeafAssignment[2];
        for (int t = 0; t < 2; t++) {
            want[t] = RowByRowDescent.assign(tree, 3, kernel, rows[t]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Void>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int mine = t;
                runs.add(pool.submit(() -> {
                    try (LeafAssigner a = LeafAssigners.create(tree, 3, kernel)) {
                        for (int call = 0; call < 20; call++) {
                            LeafAssignment got = a.assign(rows[mine]);
                            assertArrayEquals(want[mine].leaf(), got.leaf(), "thread " + mine + ", call " + call);
                            assertArrayEquals(want[mine].distanceSq(), got.distanceSq(), 0f);
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
