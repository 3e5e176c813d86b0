package dev.strata.kmeans;

/**
 * The fixed blocks of rows greedy k-means++ walks, and per block the distances of a step's
 * candidates to the rows of the block a candidate can reach. One array per block, indexed by the
 * row's place in the block's list of reached rows and the candidate: a single array over all rows
 * (rows x trials floats) would overflow int indexing above 2^31 / trials rows, 165M rows at
 * k = 10,000 (12 candidates), while the bootstrap's pool has no row ceiling below 2^31. Block
 * bounds are computed in long for the same reason. The memory is what one array held; the block
 * arrays are allocated at the first step that reaches their rows and reused by every later step.
 */
final class SeedBlocks {
    private final int rows;
    private final int blockRows;
    private final int trials;
    private final float[][] candidateDistances;

    SeedBlocks(int rows, int blockRows, int trials) {
        if (rows < 0 || blockRows < 1 || trials < 1) {
            throw new IllegalArgumentException("seed blocks need rows >= 0, blockRows >= 1, trials >= 1, got " + rows
                    + ", " + blockRows + ", " + trials);
        }
        this.rows = rows;
        this.blockRows = blockRows;
        this.trials = trials;
        this.candidateDistances = new float[(int) (((long) rows + blockRows - 1) / blockRows)][];
    }

    int count() {
        return candidateDistances.length;
    }

    /** First row of block b. */
    int from(int b) {
        return (int) ((long) b * blockRows);
    }

    /** One past the last row of block b. */
    int to(int b) {
        return (int) Math.min(rows, (long) b * blockRows + blockRows);
    }

    /** The candidate distances of block b: {@link #slot}(r, t) for the r-th reached row and candidate t. */
    float[] candidateDistances(int b) {
        float[] d = candidateDistances[b];
        if (d == null) {
            d = candidateDistances[b] = new float[(to(b) - from(b)) * trials];
        }
        return d;
    }

    /** Where candidate t's distance to the r-th reached row of a block lies in its array. */
    int slot(int reached, int trial) {
        return reached * trials + trial;
    }
}
