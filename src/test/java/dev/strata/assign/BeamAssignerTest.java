package dev.strata.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.TestTrees;
import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BeamAssignerTest {
    private static final DotKernel KERNEL = Kernels.fastest();

    private static LeafAssignment exact(ClusterTree tree, FloatMatrix rows) {
        try (LeafAssigner a = LeafAssigners.create(tree, 0, KERNEL)) {
            return a.assign(rows);
        }
    }

    private static LeafAssignment beam(ClusterTree tree, int b, FloatMatrix rows) {
        try (LeafAssigner a = LeafAssigners.create(tree, b, KERNEL)) {
            return a.assign(rows);
        }
    }

    @Test
    void beamAsWideAsTheWidestLevelIsExact() {
        FloatMatrix data = TestTrees.random(600, 12, new Random(3));
        ClusterTree tree = AssignTrees.build(data, Metric.L2, 3, 60, 12, 4);
        FloatMatrix rows = TestTrees.random(300, 12, new Random(4));
        LeafAssignment want = exact(tree, rows);
        LeafAssignment got = beam(tree, 60, rows);
        assertArrayEquals(want.leaf(), got.leaf());
        for (int i = 0; i < rows.rows(); i++) {
            assertEquals(want.distanceSq()[i], got.distanceSq()[i], 1e-4f * Math.max(1f, want.distanceSq()[i]));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "scalar"})
    void beamAsWideAsTheWidestLevelIsExactOnOtherKernels(String name) {
        DotKernel kernel = Kernels.byName(name);
        FloatMatrix data = TestTrees.random(400, 20, new Random(13));
        ClusterTree tree = AssignTrees.build(data, Metric.L2, 13, 50, 7);
        FloatMatrix rows = TestTrees.random(100, 20, new Random(14));
        try (LeafAssigner exact = LeafAssigners.create(tree, 0, kernel);
                LeafAssigner wide = LeafAssigners.create(tree, 50, kernel)) {
            assertArrayEquals(exact.assign(rows).leaf(), wide.assign(rows).leaf());
        }
    }

    @Test
    void recallOnSeparatedBlobsAtBeamFour() {
        FloatMatrix train = AssignTrees.blobs(20, 2000, 16, 7, 1);
        FloatMatrix heldOut = AssignTrees.blobs(20, 500, 16, 7, 2);
        ClusterTree tree = AssignTrees.build(train, Metric.L2, 7, 100, 10);
        RecallMeter.Result r = new RecallMeter(tree, heldOut, 64, KERNEL).measure(4);
        assertTrue(r.recall() >= 0.95, "recall " + r.recall());
        assertTrue(r.beamRowsPerSecond() > 0 && r.exactRowsPerSecond() > 0);
    }

    @Test
    void distancesAreTheSquaredDistancesToTheReturnedLeaf() {
        FloatMatrix train = AssignTrees.blobs(20, 2000, 16, 7, 1);
        ClusterTree tree = AssignTrees.build(train, Metric.L2, 7, 100, 10);
        FloatMatrix rows = AssignTrees.blobs(20, 200, 16, 7, 3);
        for (int b : new int[] {1, 2, 4}) {
            LeafAssignment got = beam(tree, b, rows);
            for (int i = 0; i < rows.rows(); i++) {
                float[] x = rows.row(i);
                float[] c = tree.leaves().centroids().row(got.leaf()[i]);
                double want = AssignTrees.distanceSq(x, c);
                // ||x||^2 - 2 x.c + ||c||^2 in float cancels: its error scales with the norms, not the distance
                double tolerance =
                        1e-6 * (AssignTrees.distanceSq(x, new float[16]) + AssignTrees.distanceSq(c, new float[16]));
                assertEquals(want, got.distanceSq()[i], tolerance, "beam " + b + " row " + i);
            }
        }
    }

    @Test
    void cosineModelNormalisesRowsWithoutTouchingThem() {
        FloatMatrix data = TestTrees.random(500, 10, new Random(5));
        ClusterTree tree = AssignTrees.build(data, Metric.COSINE, 5, 40, 6);
        FloatMatrix rows = TestTrees.random(120, 10, new Random(6));
        FloatMatrix scaled = rows.copy();
        Random rnd = new Random(7);
        for (int i = 0; i < scaled.rows(); i++) {
            float f = 0.1f + 10 * rnd.nextFloat();
            for (int k = 0; k < 10; k++) {
                scaled.data()[i * 10 + k] *= f;
            }
        }
        FloatMatrix before = scaled.copy();
        LeafAssignment wide = beam(tree, 40, scaled);
        assertArrayEquals(before.data(), scaled.data(), "input rows are not modified");
        assertArrayEquals(exact(tree, scaled).leaf(), wide.leaf());
        assertArrayEquals(
                beam(tree, 2, rows).leaf(), beam(tree, 2, scaled).leaf(), "the scale of a row does not matter");
        for (int i = 0; i < rows.rows(); i++) {
            float[] u = AssignTrees.unit(rows.row(i));
            double want = AssignTrees.distanceSq(u, tree.leaves().centroids().row(wide.leaf()[i]));
            assertEquals(want, wide.distanceSq()[i], 1e-4, "distance of the unit row, row " + i);
        }
    }

    @Test
    void singleRowBatchesMatchOneBigBatch() {
        FloatMatrix train = AssignTrees.blobs(20, 2000, 16, 7, 1);
        ClusterTree tree = AssignTrees.build(train, Metric.L2, 7, 100, 10);
        FloatMatrix rows = AssignTrees.blobs(20, 50, 16, 7, 4);
        try (LeafAssigner a = LeafAssigners.create(tree, 3, KERNEL)) {
            LeafAssignment all = a.assign(rows);
            for (int i = 0; i < rows.rows(); i++) {
                LeafAssignment one = a.assign(new FloatMatrix(rows.row(i), 1, 16));
                assertEquals(all.leaf()[i], one.leaf()[0], "row " + i);
                assertEquals(all.distanceSq()[i], one.distanceSq()[0], 1e-3f);
            }
            assertEquals(0, a.assign(FloatMatrix.zeros(0, 16)).leaf().length);
        }
    }

    @Test
    void oneLevelModelIsAssignedExactly() {
        FloatMatrix data = TestTrees.random(300, 8, new Random(8));
        ClusterTree tree = AssignTrees.build(data, Metric.L2, 8, 30);
        FloatMatrix rows = TestTrees.random(100, 8, new Random(9));
        assertArrayEquals(exact(tree, rows).leaf(), beam(tree, 1, rows).leaf());
    }

    @Test
    void clusterWithoutLeavesNeverTakesABeamSlot() {
        // top cluster 0 sits on the query but has no children; beam 1 must still reach a leaf
        int dim = 2;
        FloatMatrix leaves = new FloatMatrix(new float[] {10, 0, 11, 0, -10, 0}, 3, dim);
        FloatMatrix tops = new FloatMatrix(new float[] {0, 0, 10.5f, 0, -10, 0}, 3, dim);
        ClusterTree tree = new ClusterTree(
                Metric.L2,
                dim,
                List.of(
                        new ClusterLevel(leaves, new int[] {1, 1, 2}, new long[] {1, 1, 1}),
                        new ClusterLevel(tops, new int[] {-1, -1, -1}, new long[] {0, 2, 1})),
                null,
                "");
        LeafAssignment got = beam(tree, 1, new FloatMatrix(new float[] {1, 0}, 1, dim));
        assertEquals(0, got.leaf()[0]);
        assertEquals(81f, got.distanceSq()[0], 1e-3f);
    }

    /**
     * Tops A (0, 0), B (1, 0), C (10, 0), two leaves each. A row near A alone descends into A only
     * with a slack of 0.05, a row as near A as B into both, never into C; the leaves are those of
     * the whole beam, with fewer centroids compared.
     */
    @Test
    void aSlackDescendsOnlyIntoTheClustersNearlyAsNearAsTheNearest() {
        int dim = 2;
        FloatMatrix leaves = new FloatMatrix(new float[] {-1, 0, 0, 1, 1, 1, 2, 0, 10, 1, 11, 0}, 6, dim);
        FloatMatrix tops = new FloatMatrix(new float[] {0, 0, 1, 0, 10, 0}, 3, dim);
        ClusterTree tree = new ClusterTree(
                Metric.L2,
                dim,
                List.of(
                        new ClusterLevel(leaves, new int[] {0, 0, 1, 1, 2, 2}, new long[] {1, 1, 1, 1, 1, 1}),
                        new ClusterLevel(tops, new int[] {-1, -1, -1}, new long[] {2, 2, 2})),
                null,
                "");
        float[][] rows = {{0.1f, 0}, {0.5f, 0.9f}};
        long[] wholeBeam = {9, 9};
        long[] slackBeam = {5, 7};
        for (int i = 0; i < rows.length; i++) {
            FloatMatrix q = new FloatMatrix(rows[i], 1, dim);
            try (BeamAssigner whole = new BeamAssigner(tree, 3, KERNEL);
                    BeamAssigner slack = new BeamAssigner(tree, 3, 0.05, KERNEL)) {
                LeafAssignment w = whole.assign(q);
                LeafAssignment s = slack.assign(q);
                assertEquals(w.leaf()[0], s.leaf()[0], "row " + i);
                assertEquals(exact(tree, q).leaf()[0], s.leaf()[0], "row " + i);
                assertEquals(w.distanceSq()[0], s.distanceSq()[0], 0f);
                assertEquals(wholeBeam[i], whole.centroidsCompared(), "row " + i);
                assertEquals(slackBeam[i], slack.centroidsCompared(), "row " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new BeamAssigner(tree, 2, -0.1, KERNEL));
        assertThrows(IllegalArgumentException.class, () -> new BeamAssigner(tree, 2, Double.NaN, KERNEL));
    }

    @Test
    void tiesGoToTheLowestLeafIndex() {
        // leaves 0 and 2 are equally near the query and sit under different parents
        int dim = 2;
        FloatMatrix leaves = new FloatMatrix(new float[] {0, 1, 5, 5, 0, -1}, 3, dim);
        FloatMatrix tops = new FloatMatrix(new float[] {0, -1, 0, 1}, 2, dim);
        ClusterTree tree = new ClusterTree(
                Metric.L2,
                dim,
                List.of(
                        new ClusterLevel(leaves, new int[] {1, 1, 0}, new long[] {1, 1, 1}),
                        new ClusterLevel(tops, new int[] {-1, -1}, new long[] {1, 2})),
                null,
                "");
        FloatMatrix q = new FloatMatrix(new float[] {0, 0}, 1, dim);
        assertEquals(0, beam(tree, 2, q).leaf()[0]);
        assertEquals(0, exact(tree, q).leaf()[0]);
    }

    @Test
    void rejectsAWrongDimensionAndABeamBelowOne() {
        FloatMatrix data = TestTrees.random(200, 8, new Random(1));
        ClusterTree tree = AssignTrees.build(data, Metric.L2, 1, 20, 4);
        assertThrows(StrataException.class, () -> beam(tree, 2, FloatMatrix.zeros(1, 7)));
        assertThrows(IllegalArgumentException.class, () -> new BeamAssigner(tree, 0, KERNEL));
    }

    @Test
    void exactAssignerAgreesWithBruteForce() {
        FloatMatrix data = TestTrees.random(800, 24, new Random(11));
        ClusterTree tree = AssignTrees.build(data, Metric.L2, 11, 80, 8);
        FloatMatrix rows = TestTrees.random(300, 24, new Random(12));
        try (NearestCentroids nc = new NearestCentroids(KERNEL, 1)) {
            ExactAssigner exact = new ExactAssigner(tree, nc);
            for (int call = 0; call < 2; call++) {
                LeafAssignment got = exact.assign(rows);
                for (int i = 0; i < rows.rows(); i++) {
                    assertEquals(AssignTrees.bruteForceLeaf(tree, rows.row(i)), got.leaf()[i], "row " + i);
                    double want = AssignTrees.distanceSq(
                            rows.row(i), tree.leaves().centroids().row(got.leaf()[i]));
                    assertEquals(want, got.distanceSq()[i], 1e-3 + 1e-4 * want);
                }
            }
        }
    }
}
