package dev.strata.vector;

import java.util.Arrays;

/** The prepared form for kernels that read B as given: just a private copy of the rows. */
final class CopiedRows extends PreparedRows {
    final float[] data;

    CopiedRows(float[] b, int off, int rows, int dim) {
        super(rows, dim);
        this.data = Arrays.copyOfRange(b, off, off + rows * dim);
    }
}
