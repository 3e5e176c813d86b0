package dev.strata.vector;

/**
 * The B operand of {@link DotKernel} readied once (copied off-heap, packed into panels) for many
 * products against different blocks of A. A snapshot: later changes to the source array are not
 * seen. Only the kernel that prepared it may use it; it is safe to share between threads.
 */
public abstract class PreparedRows {
    private final int rows;
    private final int dim;

    protected PreparedRows(int rows, int dim) {
        this.rows = rows;
        this.dim = dim;
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }
}
