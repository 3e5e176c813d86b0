package dev.strata.vector;

/**
 * The one hot loop of Strata: a block of dot products between two sets of rows, i.e. the
 * product A * B^T. Squared L2 distances are derived from it as ||a||^2 - 2 a.b + ||b||^2.
 *
 * <p>Implementations are single-threaded and stateless; callers split the rows of A over
 * threads. For a fixed block shape the result is bitwise reproducible, which keeps k-means
 * deterministic for a seed and thread count.
 */
public interface DotKernel {

    /** Short name shown in benchmarks and logs, e.g. "openblas". */
    String name();

    /**
     * True when every output is bitwise a function of its row of A and its row of B alone, whatever
     * the number of rows of A in the call and wherever the row sits among them. The batched beam
     * descent relies on it to give a row the same leaf whichever rows share its kernel calls.
     * OpenBLAS is not: its sgemm picks kernels by shape, and with 4 or more rows of A the last bit
     * of some dot products differs from the 1-row call.
     */
    default boolean rowIndependent() {
        return false;
    }

    /**
     * out[i * bRows + j] = sum_k a[aOff + i*dim + k] * b[k + j*dim] for i < aRows, j < bRows.
     *
     * @param a     row-major rows, starting at {@code aOff}
     * @param b     row-major rows, starting at 0
     * @param out   at least aRows * bRows floats; overwritten
     */
    void dotsTransposed(float[] a, int aOff, int aRows, float[] b, int bRows, int dim, float[] out);

    /**
     * Readies B for repeated use with {@link #dotsTransposed(float[], int, int, PreparedRows, float[])}.
     * The result is bitwise the same as the unprepared call on the same rows.
     * Kernels that copy or pack B on every call override this so the work is paid once per B
     * instead of once per block of A. The rows start at {@code bOff}.
     */
    default PreparedRows prepare(float[] b, int bOff, int bRows, int dim) {
        return new CopiedRows(b, bOff, bRows, dim);
    }

    /** Same as {@link #dotsTransposed(float[], int, int, float[], int, int, float[])} with a prepared B. */
    default void dotsTransposed(float[] a, int aOff, int aRows, PreparedRows b, float[] out) {
        if (!(b instanceof CopiedRows)) {
            throw new IllegalArgumentException(
                    "rows prepared by another kernel: " + b.getClass().getSimpleName());
        }
        dotsTransposed(a, aOff, aRows, ((CopiedRows) b).data, b.rows(), b.dim(), out);
    }
}
