package dev.strata.assign;

import dev.strata.model.ClusterTree;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;

/**
 * Recall of beam descent against exact assignment on a set of rows, and the single-thread rate of
 * both, in batches of the size the streaming job sends. The exact leaves are computed (and timed)
 * once at construction, so several beams can be compared on the same rows. An untimed pass over
 * the same rows comes first, so the JIT has compiled the hot loops; the rate is that of the
 * fastest of {@value #TIMED_PASSES} timed passes.
 */
public final class RecallMeter {
    public static final int TIMED_PASSES = 3;

    /**
     * recall = share of rows whose beam leaf is the exact leaf; rates in rows per second;
     * centroidsPerRow = centroids the beam compared per row (exact compares every leaf).
     */
    public record Result(
            int beam,
            int rows,
            double recall,
            double exactRowsPerSecond,
            double beamRowsPerSecond,
            double centroidsPerRow) {}

    private final ClusterTree tree;
    private final DotKernel beamKernel;
    private final FloatMatrix[] batches;
    private final int rows;
    private final int[] exactLeaf;
    private final double exactRate;

    public RecallMeter(ClusterTree tree, FloatMatrix rows, int batchRows, DotKernel kernel) {
        this(tree, rows, batchRows, kernel, kernel);
    }

    /** Exact and beam on their own kernels, as the job runs them ({@link LeafAssigners#create(ClusterTree, int)}). */
    public RecallMeter(ClusterTree tree, FloatMatrix rows, int batchRows, DotKernel exactKernel, DotKernel beamKernel) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be >= 1, got " + batchRows);
        }
        this.tree = tree;
        this.beamKernel = beamKernel;
        this.rows = rows.rows();
        this.batches = split(rows, batchRows);
        this.exactLeaf = new int[this.rows];
        try (LeafAssigner exact = LeafAssigners.create(tree, 0, exactKernel)) {
            this.exactRate = timedPass(exact, exactLeaf);
        }
    }

    /** Measures one beam width on the rows given at construction. */
    public Result measure(int beam) {
        return measure(beam, 0);
    }

    /** {@link #measure(int)} with a beam slack ({@link BeamAssigner#slack()}). */
    public Result measure(int beam, double slack) {
        int[] beamLeaf = new int[rows];
        double rate;
        double perRow;
        try (BeamAssigner assigner = new BeamAssigner(tree, beam, slack, beamKernel)) {
            rate = timedPass(assigner, beamLeaf);
            perRow = rows == 0 ? 0 : (double) assigner.centroidsCompared() / ((1 + TIMED_PASSES) * (long) rows);
        }
        int same = 0;
        for (int i = 0; i < rows; i++) {
            same += beamLeaf[i] == exactLeaf[i] ? 1 : 0;
        }
        return new Result(beam, rows, rows == 0 ? 1.0 : (double) same / rows, exactRate, rate, perRow);
    }

    /** Exact single-thread rate in rows per second. */
    public double exactRowsPerSecond() {
        return exactRate;
    }

    /** The fastest of a few passes, not the mean: on a shared machine the mean mostly measures the neighbours. */
    private double timedPass(LeafAssigner assigner, int[] out) {
        pass(assigner, out);
        long best = Long.MAX_VALUE;
        for (int p = 0; p < TIMED_PASSES; p++) {
            long start = System.nanoTime();
            pass(assigner, out);
            best = Math.min(best, System.nanoTime() - start);
        }
        return rows * 1e9 / Math.max(1, best);
    }

    private void pass(LeafAssigner assigner, int[] out) {
        int at = 0;
        for (FloatMatrix batch : batches) {
            int[] leaf = assigner.assign(batch).leaf();
            System.arraycopy(leaf, 0, out, at, leaf.length);
            at += leaf.length;
        }
    }

    /** Batches are cut before timing so the copies are not charged to the assigners. */
    private static FloatMatrix[] split(FloatMatrix rows, int batchRows) {
        int n = rows.rows();
        int dim = rows.dim();
        FloatMatrix[] out = new FloatMatrix[(n + batchRows - 1) / batchRows];
        for (int b = 0; b < out.length; b++) {
            int first = b * batchRows;
            int count = Math.min(batchRows, n - first);
            float[] data = new float[count * dim];
            System.arraycopy(rows.data(), first * dim, data, 0, data.length);
            out[b] = new FloatMatrix(data, count, dim);
        }
        return out;
    }
}
