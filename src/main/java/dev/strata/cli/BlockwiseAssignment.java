package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.io.EmbeddingShards;
import dev.strata.io.ShardReader;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.NearestCentroids;

/**
 * The leaf of every row of a sharded input, read a block at a time: `select` never holds the
 * embeddings, only a block of them and two numbers per row, so the input has no 2^31-float
 * ceiling. Blocks are whole multiples of the kernel's row blocks, so every row meets the same
 * arithmetic as in one whole-matrix call: the result is bitwise that of {@link ExactAssigner} on all rows.
 */
final class BlockwiseAssignment {
    /** About 64 MiB of floats per block, whatever the dimension. */
    private static final long BLOCK_FLOATS = 1L << 24;

    private BlockwiseAssignment() {}

    static LeafAssignment assign(EmbeddingShards input, ExactAssigner assigner, Progress progress) {
        long total = input.rows();
        if (total > Integer.MAX_VALUE - 8) {
            throw new StrataException(input.input() + ": " + total + " rows are more than select numbers (2^31); "
                    + "select from fewer shards at a time");
        }
        int n = (int) total;
        int dim = input.dim();
        int unit = NearestCentroids.DEFAULT_BLOCK_ROWS;
        int blockRows = (int) Math.max(unit, BLOCK_FLOATS / dim / unit * unit);
        int[] leaf = new int[n];
        float[] dist = new float[n];
        float[] block = new float[(int) Math.min((long) blockRows, n) * dim];
        try (ShardReader reader = input.reader()) {
            for (int first = 0; first < n; first += blockRows) {
                int rows = Math.min(blockRows, n - first);
                float[] data = rows * dim == block.length ? block : new float[rows * dim];
                reader.read(first, rows, data, 0);
                LeafAssignment part = assigner.assign(new FloatMatrix(data, rows, dim));
                System.arraycopy(part.leaf(), 0, leaf, first, rows);
                System.arraycopy(part.distanceSq(), 0, dist, first, rows);
                progress.advance(rows);
            }
        }
        return new LeafAssignment(leaf, dist);
    }
}
