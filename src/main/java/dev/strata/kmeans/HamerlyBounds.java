package dev.strata.kmeans;

import dev.strata.vector.FloatMatrix;
import dev.strata.vector.NearestCentroids;
import dev.strata.vector.PreparedCentroids;
import dev.strata.vector.Workers;
import java.util.Arrays;

/**
 * Lloyd's assignment step with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"): each
 * row keeps an upper bound on its distance to its own centroid and a lower bound on its distance
 * to every other one. When centroids move, the bounds move by the drift; a row whose upper bound
 * stays below its lower bound cannot change cluster and is not searched. Late iterations, where
 * few rows move, then cost a pass over the bounds instead of n x k x d multiply-adds.
 *
 * <p>The assignment is the one a full search gives, up to rows whose two nearest centroids are
 * equally far within float rounding: the bound test keeps a relative margin for that, and the
 * rows it cannot decide are searched in full. The work per row depends only on the data and the
 * centroids, never on the thread count.
 */
final class HamerlyBounds {
    /** Relative margin on the bound test, far above float rounding of a distance. */
    private static final double MARGIN = 1e-5;

    private static final int BLOCK = 4096;
    /** Rows searched per slab in {@link #initial}: 2^20 rows, 12 MiB of results. */
    static final int SLAB_ROWS = 1 << 20;

    private final FloatMatrix data;
    private final NearestCentroids nearest;
    private final AnchoredSearch search;
    private final Workers workers;
    private final DistanceCount count;
    private final int[] assignment;
    private final double[] upper;
    private final double[] lower;
    private final int slabRows;

    HamerlyBounds(FloatMatrix data, NearestCentroids nearest, Workers workers, DistanceCount count) {
        this(data, nearest, workers, count, SLAB_ROWS);
    }

    /** With a slab size of its own: tests use small slabs on small data. */
    HamerlyBounds(FloatMatrix data, NearestCentroids nearest, Workers workers, DistanceCount count, int slabRows) {
        this.slabRows = slabRows;
        this.data = data;
        this.nearest = nearest;
        this.workers = workers;
        this.search = new AnchoredSearch(nearest.kernel(), workers, count);
        this.count = count;
        int n = data.rows();
        this.assignment = new int[n];
        this.upper = new double[n];
        this.lower = new double[n];
    }

    /** The live assignment, updated in place by {@link #reassign}. */
    int[] assignment() {
        return assignment;
    }

    /**
     * Full search of the two nearest centroids of every row, in slabs of rows: the two nearest of
     * every row at once would need arrays of 2n entries, past int indexing above 2^30 rows. Slabs
     * start on the search's block boundaries, so the results are those of one call over all rows.
     */
    void initial(FloatMatrix centroids) {
        int n = data.rows();
        PreparedCentroids prepared = nearest.prepare(centroids);
        int slab = slabRows(n, nearest.blockRows(), slabRows);
        int[] idx = new int[slab * 2];
        float[] d2 = new float[slab * 2];
        for (long first = 0; first < n; first += slab) {
            int from = (int) first;
            int rows = (int) Math.min(slab, n - first);
            nearest.nearestM(data, from, rows, prepared, 2, idx, d2);
            for (int r = 0; r < rows; r++) {
                assignment[from + r] = idx[2 * r];
                upper[from + r] = Math.sqrt(d2[2 * r]);
                lower[from + r] = Math.sqrt(d2[2 * r + 1]);
            }
        }
        count.add((long) n * centroids.rows(), (long) n * centroids.rows());
    }

    /** Rows per slab: at most {@code limit} (rounded down to whole blocks, at least one) and no more than the data. */
    static int slabRows(int rows, int blockRows, int limit) {
        int whole = Math.max(blockRows, limit / blockRows * blockRows);
        return Math.max(1, Math.min(rows, whole));
    }

    /** The centroids moved from {@code before} to {@code after}: rows whose bounds allow a change are searched again. */
    void reassign(FloatMatrix before, FloatMatrix after) {
        int k = after.rows();
        int d = after.dim();
        double[] drift = new double[k];
        int far = 0;
        for (int c = 0; c < k; c++) {
            drift[c] = Math.sqrt(FloatMatrix.squaredDistance(after.data(), c * d, before.data(), c * d, d));
            if (drift[c] > drift[far]) {
                far = c;
            }
        }
        double second = 0;
        for (int c = 0; c < k; c++) {
            if (c != far) {
                second = Math.max(second, drift[c]);
            }
        }
        final int farthest = far;
        final double secondDrift = second;
        int n = data.rows();
        int blocks = (n + BLOCK - 1) / BLOCK;
        int[][] unsure = new int[blocks][];
        int[] checked = new int[blocks];
        float[] c = after.data();
        workers.forEach(blocks, b -> {
            int from = b * BLOCK;
            int to = Math.min(n, from + BLOCK);
            int[] list = new int[to - from];
            int count = 0;
            int distances = 0;
            for (int i = from; i < to; i++) {
                int a = assignment[i];
                upper[i] += drift[a];
                lower[i] -= a == farthest ? secondDrift : drift[farthest];
                if (upper[i] < lower[i] * (1 - MARGIN)) {
                    continue;
                }
                distances++;
                upper[i] = Math.sqrt(FloatMatrix.squaredDistance(data.array(i), data.offset(i), c, a * d, d));
                if (upper[i] < lower[i] * (1 - MARGIN)) {
                    continue;
                }
                list[count++] = i;
            }
            unsure[b] = Arrays.copyOf(list, count);
            checked[b] = distances;
        });
        long own = 0;
        for (int v : checked) {
            own += v;
        }
        count.add(own, (long) n * k);
        int total = 0;
        for (int[] u : unsure) {
            total += u.length;
        }
        if (total == 0) {
            return;
        }
        int[] undecided = new int[total];
        int p = 0;
        for (int[] u : unsure) {
            System.arraycopy(u, 0, undecided, p, u.length);
            p += u.length;
        }
        // the unsure rows, grouped by their current centroid: each group is searched in the ball
        // of centroids around its own (AnchoredSearch), not against all k
        ClusterMembers groups = ClusterMembers.of(assignment, k, undecided);
        int[] rows = groups.rows();
        AnchoredSearch.Found found = search.search(data, rows, groups.start(), after, after);
        for (int r = 0; r < total; r++) {
            int i = rows[r];
            assignment[i] = found.nearest()[r];
            upper[i] = Math.sqrt(found.distSq()[r]);
            lower[i] = found.lowerOthers()[r];
        }
    }
}
