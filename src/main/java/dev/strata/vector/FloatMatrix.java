package dev.strata.vector;

import java.util.Arrays;

/**
 * A dense row-major float32 matrix: the one shape every data set, centroid table and batch
 * takes in Strata. Rows live back to back in a single array so kernels can stream them.
 */
public final class FloatMatrix {
    private final float[] data;
    private final int rows;
    private final int dim;

    public FloatMatrix(float[] data, int rows, int dim) {
        if (rows < 0 || dim <= 0) {
            throw new IllegalArgumentException("matrix needs rows >= 0 and dim > 0, got " + rows + "x" + dim);
        }
        if ((long) rows * dim != data.length) {
            throw new IllegalArgumentException("matrix data has " + data.length + " floats, expected " + rows + "x" + dim);
        }
        this.data = data;
        this.rows = rows;
        this.dim = dim;
    }

    public static FloatMatrix zeros(int rows, int dim) {
        long size = (long) rows * dim;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rows + "x" + dim + " floats do not fit one Java array; split the input");
        }
        return new FloatMatrix(new float[(int) size], rows, dim);
    }

    public float[] data() {
        return data;
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    /** Offset of row {@code i} in {@link #data()}. */
    public int offset(int i) {
        return i * dim;
    }

    public float get(int row, int col) {
        return data[row * dim + col];
    }

    public float[] row(int i) {
        return Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
    }

    public void setRow(int i, float[] values) {
        System.arraycopy(values, 0, data, i * dim, dim);
    }

    /** A new matrix made of the given rows, in the given order. */
    public FloatMatrix selectRows(int[] indices) {
        FloatMatrix out = zeros(indices.length, dim);
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(data, indices[r] * dim, out.data, r * dim, dim);
        }
        return out;
    }

    public FloatMatrix copy() {
        return new FloatMatrix(data.clone(), rows, dim);
    }

    /** Squared L2 distance between a[ao..ao+d) and b[bo..bo+d), accumulated in double (exact where norms would cancel). */
    public static double squaredDistance(float[] a, int ao, float[] b, int bo, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double v = (double) a[ao + j] - b[bo + j];
            s += v * v;
        }
        return s;
    }

    /** Squared L2 norm of a[off..off+d), accumulated in double like {@link #rowNormsSquared()}. */
    public static float squaredNorm(float[] a, int off, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double v = a[off + j];
            s += v * v;
        }
        return (float) s;
    }

    /** Squared L2 norm of every row, accumulated in double. */
    public float[] rowNormsSquared() {
        float[] norms = new float[rows];
        for (int i = 0; i < rows; i++) {
            norms[i] = squaredNorm(data, i * dim, dim);
        }
        return norms;
    }

    /** Scales every row to unit L2 norm in place (zero rows stay zero); used by the cosine metric. */
    public void normalizeRows() {
        normalizeRows(data, rows, dim);
    }

    /** The same on a raw row-major array, for callers that reuse their own buffers. */
    public static void normalizeRows(float[] data, int rows, int dim) {
        for (int i = 0; i < rows; i++) {
            int o = i * dim;
            double s = 0;
            for (int j = 0; j < dim; j++) {
                double v = data[o + j];
                s += v * v;
            }
            if (s > 0) {
                float inv = (float) (1.0 / Math.sqrt(s));
                for (int j = 0; j < dim; j++) {
                    data[o + j] *= inv;
                }
            }
        }
    }
}
