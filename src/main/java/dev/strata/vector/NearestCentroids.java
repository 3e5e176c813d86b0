package dev.strata.vector;

import dev.strata.progress.Progress;
import java.util.Arrays;

/**
 * Nearest centroids by squared L2 distance, computed as ||x||^2 - 2 x.c + ||c||^2 from blocked
 * dot products: the hot loop of k-means, resampling, selection and streaming leaf assignment.
 *
 * <p>Work is cut into blocks of {@link #DEFAULT_BLOCK_ROWS} data rows, each against tiles of at
 * most {@link #DEFAULT_TILE_CENTROIDS} centroids, so the dot buffer of a block (1 MB) stays in a
 * core's L2. The partition depends only on the input sizes, never on the thread count, and every
 * block is computed the same way whichever thread takes it: results are bitwise identical for
 * any number of threads. Ties go to the lowest centroid index. Rows containing NaN get index 0
 * (or unspecified neighbours in {@link #nearestM}) and a NaN distance.
 *
 * <p>Calls with at most one block of rows run in the caller's thread, without touching the pool.
 * The threads are a {@link Workers}, its own or one shared with the caller's other steps (k-means).
 * Instances are safe to use from several threads at once; scratch memory is per call and
 * bounded by threads x block rows x (tile + dim) floats.
 */
public final class NearestCentroids implements AutoCloseable {
    public static final int DEFAULT_BLOCK_ROWS = 256;
    public static final int DEFAULT_TILE_CENTROIDS = 1024;

    private final DotKernel kernel;
    private final int blockRows;
    private final int tileCentroids;
    private final Workers workers;
    /** Whether close() ends the workers: not when they were lent by the caller. */
    private final boolean ownsWorkers;

    public NearestCentroids(DotKernel kernel, int threads) {
        this(kernel, threads, DEFAULT_BLOCK_ROWS, DEFAULT_TILE_CENTROIDS);
    }

    /** On the caller's threads, which it keeps: closing this leaves them running. */
    public NearestCentroids(DotKernel kernel, Workers workers) {
        this(kernel, workers, false, DEFAULT_BLOCK_ROWS, DEFAULT_TILE_CENTROIDS);
    }

    /** With explicit block sizes, for tuning; results depend on blockRows (not on threads). */
    public NearestCentroids(DotKernel kernel, int threads, int blockRows, int tileCentroids) {
        this(kernel, new Workers(threads), true, blockRows, tileCentroids);
    }

    private NearestCentroids(DotKernel kernel, Workers workers, boolean ownsWorkers, int blockRows, int tileCentroids) {
        if (blockRows < 1 || tileCentroids < 1) {
            if (ownsWorkers) {
                workers.close();
            }
            throw new IllegalArgumentException(
                    "block sizes must be >= 1, got " + blockRows + " rows x " + tileCentroids + " centroids");
        }
        this.kernel = kernel;
        this.workers = workers;
        this.ownsWorkers = ownsWorkers;
        this.blockRows = blockRows;
        this.tileCentroids = tileCentroids;
    }

    public DotKernel kernel() {
        return kernel;
    }

    public int threads() {
        return workers.threads();
    }

    /** Norms and kernel-prepared tiles of a centroid table, to reuse across many calls. */
    public PreparedCentroids prepare(FloatMatrix centroids) {
        return new PreparedCentroids(kernel, tileCentroids, centroids);
    }

    /** Nearest centroid per data row, and its squared L2 distance (clipped at >= 0). Advances progress by rows. */
    public void assign(FloatMatrix data, FloatMatrix centroids, int[] outIndex, float[] outDistSq, Progress progress) {
        assign(data, prepare(centroids), outIndex, outDistSq, progress);
    }

    /** Same as {@link #assign(FloatMatrix, FloatMatrix, int[], float[], Progress)} with prepared centroids. */
    public void assign(
            FloatMatrix data, PreparedCentroids centroids, int[] outIndex, float[] outDistSq, Progress progress) {
        check(centroids, data.dim(), data.rows(), 1, outIndex, outDistSq);
        run(data.rows(), (block, scratch) -> {
            int first = block * blockRows;
            int n = Math.min(blockRows, data.rows() - first);
            if (data.contiguousRows(first) >= n) {
                argmin(data.array(first), data.offset(first), n, centroids, scratch, outIndex, outDistSq, first);
            } else {
                // a block across two chunks of a large matrix: gathered, the same arithmetic
                float[] gathered = scratch.gather(n * data.dim());
                data.copyRows(first, n, gathered, 0);
                argmin(gathered, 0, n, centroids, scratch, outIndex, outDistSq, first);
            }
            progress.advance(n);
        });
    }

    /** Same for the data rows listed in {@code rows}; results go to outIndex[i], outDistSq[i] for rows[i]. */
    public void assign(FloatMatrix data, int[] rows, FloatMatrix centroids, int[] outIndex, float[] outDistSq) {
        PreparedCentroids prepared = prepare(centroids);
        check(prepared, data.dim(), rows.length, 1, outIndex, outDistSq);
        int dim = data.dim();
        run(rows.length, (block, scratch) -> {
            int first = block * blockRows;
            int n = Math.min(blockRows, rows.length - first);
            float[] gathered = scratch.gather(n * dim);
            for (int r = 0; r < n; r++) {
                System.arraycopy(data.array(rows[first + r]), data.offset(rows[first + r]), gathered, r * dim, dim);
            }
            argmin(gathered, 0, n, prepared, scratch, outIndex, outDistSq, first);
        });
    }

    /** The m nearest centroids per query row, ascending by distance (ties: lower index first): outIndex[i*m + r], outDistSq[i*m + r]. */
    public void nearestM(FloatMatrix queries, FloatMatrix centroids, int m, int[] outIndex, float[] outDistSq) {
        nearestM(queries, prepare(centroids), m, outIndex, outDistSq);
    }

    /** Same as {@link #nearestM(FloatMatrix, FloatMatrix, int, int[], float[])} with prepared centroids. */
    public void nearestM(FloatMatrix queries, PreparedCentroids centroids, int m, int[] outIndex, float[] outDistSq) {
        nearestM(queries, 0, queries.rows(), centroids, m, outIndex, outDistSq);
    }

    /**
     * The same for query rows [first, first + rows) only, written from index 0: outIndex[(i - first)*m + r].
     * A caller with more than 2^31 / m rows cannot hold one output array for all of them; it goes
     * through them in slabs. With {@code first} a multiple of {@link #blockRows()} the blocks, and so
     * the results, are those of one call over every row.
     */
    public void nearestM(
            FloatMatrix queries,
            int first,
            int rows,
            PreparedCentroids centroids,
            int m,
            int[] outIndex,
            float[] outDistSq) {
        if (m < 1 || m > centroids.count) {
            throw new IllegalArgumentException("m must be in 1.." + centroids.count + ", got " + m);
        }
        if (first < 0 || rows < 0 || (long) first + rows > queries.rows()) {
            throw new IllegalArgumentException("rows [" + first + ", " + ((long) first + rows) + ") are not inside the "
                    + queries.rows() + " query rows");
        }
        check(centroids, queries.dim(), rows, m, outIndex, outDistSq);
        run(rows, (block, scratch) -> {
            int out = block * blockRows;
            int at = first + out;
            int n = Math.min(blockRows, rows - out);
            if (queries.contiguousRows(at) >= n) {
                topM(queries.array(at), queries.offset(at), n, centroids, m, scratch, outIndex, outDistSq, out);
            } else {
                float[] gathered = scratch.gather(n * queries.dim());
                queries.copyRows(at, n, gathered, 0);
                topM(gathered, 0, n, centroids, m, scratch, outIndex, outDistSq, out);
            }
        });
    }

    /** Rows per block of work: results depend on it (never on threads). */
    public int blockRows() {
        return blockRows;
    }

    @Override
    public void close() {
        if (ownsWorkers) {
            workers.close();
        }
    }

    private void check(PreparedCentroids c, int dim, int rows, int m, int[] outIndex, float[] outDistSq) {
        if (c.kernel != kernel || c.tileSize != tileCentroids) {
            throw new IllegalArgumentException("centroids were prepared by another NearestCentroids configuration");
        }
        if (c.dim != dim) {
            throw new IllegalArgumentException("data has dim " + dim + " but centroids have dim " + c.dim);
        }
        long need = (long) rows * m;
        if (outIndex.length < need || outDistSq.length < need) {
            throw new IllegalArgumentException(
                    "output arrays hold " + Math.min(outIndex.length, outDistSq.length) + " entries, need " + need);
        }
    }

    /** Per-row argmin over all tiles; out arrays double as the running best. */
    private void argmin(
            float[] src,
            int srcOff,
            int n,
            PreparedCentroids c,
            Scratch scratch,
            int[] outIndex,
            float[] outDistSq,
            int outFirst) {
        float[] dots = scratch.dots(n * Math.min(tileCentroids, c.count));
        float[] norms = c.normsSquared;
        for (int r = 0; r < n; r++) {
            outIndex[outFirst + r] = 0;
            outDistSq[outFirst + r] = Float.POSITIVE_INFINITY;
        }
        for (int t = 0; t < c.tiles.length; t++) {
            PreparedRows tile = c.tiles[t];
            int width = tile.rows();
            int base = t * tileCentroids;
            kernel.dotsTransposed(src, srcOff, n, tile, dots);
            for (int r = 0; r < n; r++) {
                // ||x||^2 is constant per row, so it is added after the search
                float best = outDistSq[outFirst + r];
                int bestJ = -1;
                int o = r * width;
                for (int j = 0; j < width; j++) {
                    float v = norms[base + j] - 2f * dots[o + j];
                    if (v < best) {
                        best = v;
                        bestJ = j;
                    }
                }
                if (bestJ >= 0) {
                    outDistSq[outFirst + r] = best;
                    outIndex[outFirst + r] = base + bestJ;
                }
            }
        }
        for (int r = 0; r < n; r++) {
            float x = FloatMatrix.squaredNorm(src, srcOff + r * c.dim, c.dim);
            outDistSq[outFirst + r] = Math.max(0f, x + outDistSq[outFirst + r]);
        }
    }

    /** Per-row sorted insertion of the m best over all tiles, in the out arrays. */
    private void topM(
            float[] src,
            int srcOff,
            int n,
            PreparedCentroids c,
            int m,
            Scratch scratch,
            int[] outIndex,
            float[] outDistSq,
            int outFirst) {
        float[] dots = scratch.dots(n * Math.min(tileCentroids, c.count));
        float[] norms = c.normsSquared;
        int[] filled = scratch.filled(n);
        for (int t = 0; t < c.tiles.length; t++) {
            PreparedRows tile = c.tiles[t];
            int width = tile.rows();
            int base = t * tileCentroids;
            kernel.dotsTransposed(src, srcOff, n, tile, dots);
            for (int r = 0; r < n; r++) {
                int o = r * width;
                int top = (outFirst + r) * m;
                int size = filled[r];
                for (int j = 0; j < width; j++) {
                    float v = norms[base + j] - 2f * dots[o + j];
                    if (size == m && !(v < outDistSq[top + m - 1])) {
                        continue;
                    }
                    // centroids arrive in index order, so an equal distance already kept stays ahead
                    int p = size == m ? m - 1 : size++;
                    while (p > 0 && outDistSq[top + p - 1] > v) {
                        outDistSq[top + p] = outDistSq[top + p - 1];
                        outIndex[top + p] = outIndex[top + p - 1];
                        p--;
                    }
                    outDistSq[top + p] = v;
                    outIndex[top + p] = base + j;
                }
                filled[r] = size;
            }
        }
        for (int r = 0; r < n; r++) {
            float x = FloatMatrix.squaredNorm(src, srcOff + r * c.dim, c.dim);
            int top = (outFirst + r) * m;
            for (int q = 0; q < m; q++) {
                outDistSq[top + q] = Math.max(0f, x + outDistSq[top + q]);
            }
        }
    }

    private interface BlockTask {
        void run(int block, Scratch scratch);
    }

    /** Hands blocks to the workers (the caller among them) from a shared counter. */
    private void run(int rows, BlockTask task) {
        workers.forEach((rows + blockRows - 1) / blockRows, Scratch::new, (scratch, block) -> task.run(block, scratch));
    }

    /** Buffers of one worker for one call, grown to the largest block it sees. */
    private static final class Scratch {
        private float[] dots = new float[0];
        private float[] gather = new float[0];
        private int[] filled = new int[0];

        float[] dots(int floats) {
            if (dots.length < floats) {
                dots = new float[floats];
            }
            return dots;
        }

        float[] gather(int floats) {
            if (gather.length < floats) {
                gather = new float[floats];
            }
            return gather;
        }

        int[] filled(int rows) {
            if (filled.length < rows) {
                filled = new int[rows];
            }
            Arrays.fill(filled, 0, rows, 0);
            return filled;
        }
    }
}
