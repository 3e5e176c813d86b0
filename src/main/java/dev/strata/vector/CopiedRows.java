package dev.strata.vector;

import java.util.Arrays;

/** The prepared form for kernels that read B as given: just a private copy of the rows. */
final class CopiedRows implements PreparedRows {
    final float[] data;
    private final int rows;
    private final int dim;

    CopiedRows(float[] b, int off, int rows, int dim) {
        this.data = Arrays.copyOfRange(b, off, off + rows * dim);
        this.rows = rows;
        this.dim = dim;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int dim() {
        return dim;
    }
}
