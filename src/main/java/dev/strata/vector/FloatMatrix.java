package dev.strata.vector;

import java.util.Arrays;

/**
 * A dense row-major float32 matrix: the one shape every data set, centroid table and batch
 * takes in Strata. Rows live back to back in a single array so kernels can stream them, or, when
 * rows x dim exceeds what one Java array holds (2^31 floats), in chunks of whole rows: the
 * bootstrap's pool has no size ceiling. Code that walks rows asks {@link #array(int)} and
 * {@link #offset(int)} per row; code that streams a block of rows takes it in place when
 * {@link #contiguousRows(int)} covers it, and gathers it otherwise. A matrix of one chunk
 * is exactly the single array it always was, so the in-heap path computes what it always did.
 */
public final class FloatMatrix {
    /** The largest float[] the JVM allocates reliably. */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final float[][] chunks;
    /** Rows in every chunk but the last; equals rows for a single chunk. */
    private final int rowsPerChunk;

    private final int rows;
    private final int dim;

    public FloatMatrix(float[] data, int rows, int dim) {
        if (rows < 0 || dim <= 0) {
            throw new IllegalArgumentException("matrix needs rows >= 0 and dim > 0, got " + rows + "x" + dim);
        }
        if ((long) rows * dim != data.length) {
            throw new IllegalArgumentException(
                    "matrix data has " + data.length + " floats, expected " + rows + "x" + dim);
        }
        this.chunks = new float[][] {data};
        this.rowsPerChunk = Math.max(rows, 1);
        this.rows = rows;
        this.dim = dim;
    }

    private FloatMatrix(float[][] chunks, int rowsPerChunk, int rows, int dim) {
        this.chunks = chunks;
        this.rowsPerChunk = rowsPerChunk;
        this.rows = rows;
        this.dim = dim;
    }

    /** A zero matrix: one array when it fits, chunks of whole rows when it does not. */
    public static FloatMatrix zeros(int rows, int dim) {
        long size = (long) rows * dim;
        if (size <= MAX_ARRAY) {
            if (rows < 0 || dim <= 0) {
                throw new IllegalArgumentException("matrix needs rows >= 0 and dim > 0, got " + rows + "x" + dim);
            }
            return new FloatMatrix(new float[(int) size], rows, dim);
        }
        return chunked(rows, dim, defaultRowsPerChunk(dim));
    }

    /** Rows per chunk for a large matrix: 2^30 floats (4 GiB), rounded down to a multiple of 4096 rows where possible. */
    static int defaultRowsPerChunk(int dim) {
        int perChunk = Math.max(1, (1 << 30) / dim);
        return perChunk >= 4096 ? perChunk / 4096 * 4096 : perChunk;
    }

    /** A zero matrix in chunks of {@code rowsPerChunk} rows (tests force many chunks on small data). */
    public static FloatMatrix chunked(int rows, int dim, int rowsPerChunk) {
        if (rows < 0 || dim <= 0 || rowsPerChunk < 1 || (long) rowsPerChunk * dim > MAX_ARRAY) {
            throw new IllegalArgumentException(
                    "chunked matrix needs rows >= 0, dim > 0 and a chunk that fits an array, got " + rows + "x" + dim
                            + " in chunks of " + rowsPerChunk);
        }
        int count = Math.max(1, (int) (((long) rows + rowsPerChunk - 1) / rowsPerChunk));
        float[][] chunks = new float[count][];
        for (int c = 0; c < count; c++) {
            int n = (int) Math.min(rowsPerChunk, (long) rows - (long) c * rowsPerChunk);
            chunks[c] = new float[Math.max(0, n) * dim];
        }
        return new FloatMatrix(chunks, rowsPerChunk, rows, dim);
    }

    /** The single array of a one-chunk matrix; a chunked matrix has none (walk it by {@link #array}/{@link #offset}). */
    public float[] data() {
        if (chunks.length != 1) {
            throw new IllegalStateException(rows + "x" + dim + " matrix is held in " + chunks.length
                    + " chunks; read it by array(row)/offset(row)");
        }
        return chunks[0];
    }

    /** Whether the rows are held in more than one array. */
    public boolean chunked() {
        return chunks.length > 1;
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    /** The array holding row {@code i}. */
    public float[] array(int i) {
        return chunks.length == 1 ? chunks[0] : chunks[i / rowsPerChunk];
    }

    /** Offset of row {@code i} in {@link #array(int) array(i)} (in {@link #data()} for a one-chunk matrix). */
    public int offset(int i) {
        return chunks.length == 1 ? i * dim : (i % rowsPerChunk) * dim;
    }

    /** How many rows from {@code i} on lie back to back in {@link #array(int) array(i)}. */
    public int contiguousRows(int i) {
        // the chunk's end in long: past 2^31 for the last chunk of a matrix near 2^31 rows
        return chunks.length == 1 ? rows - i : (int) Math.min(rows, (long) (i / rowsPerChunk + 1) * rowsPerChunk) - i;
    }

    /** Copies rows [first, first + n) into {@code dst} from {@code off}, back to back. */
    public void copyRows(int first, int n, float[] dst, int off) {
        int done = 0;
        while (done < n) {
            int r = first + done;
            int m = Math.min(n - done, contiguousRows(r));
            System.arraycopy(array(r), offset(r), dst, off + done * dim, m * dim);
            done += m;
        }
    }

    /** Copies {@code n} rows from {@code src} (back to back from {@code off}) into rows [first, first + n). */
    public void setRows(int first, int n, float[] src, int off) {
        int done = 0;
        while (done < n) {
            int r = first + done;
            int m = Math.min(n - done, contiguousRows(r));
            System.arraycopy(src, off + done * dim, array(r), offset(r), m * dim);
            done += m;
        }
    }

    public float get(int row, int col) {
        return array(row)[offset(row) + col];
    }

    public float[] row(int i) {
        int o = offset(i);
        return Arrays.copyOfRange(array(i), o, o + dim);
    }

    public void setRow(int i, float[] values) {
        System.arraycopy(values, 0, array(i), offset(i), dim);
    }

    /** A new matrix made of the given rows, in the given order. */
    public FloatMatrix selectRows(int[] indices) {
        FloatMatrix out = zeros(indices.length, dim);
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(array(indices[r]), offset(indices[r]), out.array(r), out.offset(r), dim);
        }
        return out;
    }

    public FloatMatrix copy() {
        float[][] copies = new float[chunks.length][];
        for (int c = 0; c < chunks.length; c++) {
            copies[c] = chunks[c].clone();
        }
        return new FloatMatrix(copies, rowsPerChunk, rows, dim);
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
            norms[i] = squaredNorm(array(i), offset(i), dim);
        }
        return norms;
    }

    /** Scales every row to unit L2 norm in place (zero rows stay zero); used by the cosine metric. */
    public void normalizeRows() {
        for (int c = 0; c < chunks.length; c++) {
            normalizeRows(chunks[c], chunks[c].length / dim, dim);
        }
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
