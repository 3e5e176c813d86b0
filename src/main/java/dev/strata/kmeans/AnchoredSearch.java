package dev.strata.kmeans;

import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.PreparedRows;
import dev.strata.vector.Workers;

/**
 * Nearest centroid of rows that are known to lie near an anchor (the centroid they belonged to a
 * moment ago), searched only among the centroids that can win.
 *
 * <p>Rows come grouped by anchor p. Let U be the group's largest distance to p and r0 the distance
 * from p to its nearest centroid. Every row x of the group has a centroid within U + r0, so its
 * nearest centroid c* has d(c*, p) <= d(c*, x) + d(x, p) <= r0 + 2U: only the centroids in that
 * ball around p are searched, as one block product (group rows x ball) through the kernel, so the
 * pruned search keeps the kernel's speed. A centroid c outside the ball is at least
 * d(c, p) - d(x, p) away from x; with the second nearest inside the ball, that gives every row a
 * lower bound on its distance to all other centroids (what Hamerly's bounds need).
 *
 * <p>Measured on 200k rows of a 64-d Zipf mixture with k = 1000: Hamerly's bounds alone left 35-98%
 * of the rows to a full search in each Lloyd step; the ball around a row's own centroid holds a
 * small share of the centroids (docs/benchmarks.md).
 *
 * <p>Distances are computed as in {@link dev.strata.vector.NearestCentroids} (||c||^2 - 2 x.c,
 * then + ||x||^2, clipped at 0; ties to the lower centroid index), and the ball is widened by a
 * relative margin and by the rounding of distances computed from norms, so rounding cannot drop
 * the true nearest centroid. Work depends only on the inputs, never on the thread count.
 */
final class AnchoredSearch {
    /** Relative widening of the ball, far above float rounding of a distance. */
    private static final double MARGIN = 1e-5;
    /** Bound on the rounding of ||a||^2 + ||b||^2 - 2 a.b, relative to the norms. */
    static final double NORM_ROUNDING = 1e-5;

    private static final int ANCHORS_PER_TASK = 4;
    private static final int ROWS_PER_BLOCK = 256;

    private final DotKernel kernel;
    private final Workers workers;
    private final DistanceCount count;

    /** @param count where the distances computed are added (anchor to centroid, and row to centroid) */
    AnchoredSearch(DotKernel kernel, Workers workers, DistanceCount count) {
        this.kernel = kernel;
        this.workers = workers;
        this.count = count;
    }

    /** Where the search put each row; arrays are indexed by position in the grouped row list. */
    record Found(int[] nearest, float[] distSq, double[] lowerOthers, long centroidsSearched) {}

    /**
     * @param rows   row indices into {@code data}, grouped by anchor: the rows of anchor a are
     *               {@code rows[start[a] .. start[a + 1])}
     * @param start  anchors.rows() + 1 offsets into {@code rows}
     */
    Found search(FloatMatrix data, int[] rows, int[] start, FloatMatrix anchors, FloatMatrix centroids) {
        int total = rows.length;
        int[] nearest = new int[total];
        float[] distSq = new float[total];
        double[] lower = new double[total];
        int anchorCount = anchors.rows();
        int k = centroids.rows();
        int d = data.dim();
        float[] centroidNorms = centroids.rowNormsSquared();
        float[] anchorNorms = anchors.rowNormsSquared();
        PreparedRows prepared = kernel.prepare(centroids.data(), 0, k, d);
        int tasks = (anchorCount + ANCHORS_PER_TASK - 1) / ANCHORS_PER_TASK;
        long[] searchedPerTask = new long[tasks];
        workers.forEach(tasks, task -> {
            int a0 = task * ANCHORS_PER_TASK;
            int a1 = Math.min(anchorCount, a0 + ANCHORS_PER_TASK);
            float[] anchorDots = new float[(a1 - a0) * k];
            kernel.dotsTransposed(anchors.data(), a0 * d, a1 - a0, prepared, anchorDots);
            Scratch scratch = new Scratch(k, d);
            long work = 0;
            for (int a = a0; a < a1; a++) {
                if (start[a + 1] > start[a]) {
                    work += searchGroup(
                            data,
                            rows,
                            start[a],
                            start[a + 1],
                            anchors,
                            a,
                            anchorNorms[a],
                            anchorDots,
                            (a - a0) * k,
                            centroids,
                            centroidNorms,
                            scratch,
                            nearest,
                            distSq,
                            lower);
                }
            }
            searchedPerTask[task] = work;
        });
        long searched = 0;
        for (long w : searchedPerTask) {
            searched += w;
        }
        // the unpruned cost of the step is the caller's to count
        count.add(searched + (long) anchorCount * k + total, 0);
        return new Found(nearest, distSq, lower, searched);
    }

    /** Per-task buffers, grown on demand. */
    private static final class Scratch {
        final int[] ball;
        final float[] ballNorms;
        final double[] toAnchorLow;
        final float[] block;
        float[] ballRows;
        float[] dots;
        double[] fromAnchor = new double[ROWS_PER_BLOCK];
        long[] order = new long[ROWS_PER_BLOCK];

        Scratch(int k, int d) {
            ball = new int[k];
            ballNorms = new float[k];
            toAnchorLow = new double[k];
            block = new float[ROWS_PER_BLOCK * d];
            ballRows = new float[Math.min(k, 64) * d];
            dots = new float[ROWS_PER_BLOCK * Math.min(k, 64)];
        }

        void grow(int rows) {
            if (fromAnchor.length < rows) {
                fromAnchor = new double[rows];
                order = new long[rows];
            }
        }
    }

    /**
     * Returns the number of centroids searched, summed over the group's rows. The group is cut into
     * blocks by distance to the anchor, nearest first, so each block's ball is as small as its own
     * rows allow: a large cluster's core is not searched with the radius of its outliers.
     */
    private long searchGroup(
            FloatMatrix data,
            int[] rows,
            int from,
            int to,
            FloatMatrix anchors,
            int a,
            float anchorNorm,
            float[] anchorDots,
            int dotsOff,
            FloatMatrix centroids,
            float[] centroidNorms,
            Scratch s,
            int[] nearest,
            float[] distSq,
            double[] lower) {
        int k = centroids.rows();
        int d = data.dim();
        int g = to - from;
        float[] c = centroids.data();
        float[] p = anchors.data();
        int po = a * d;
        s.grow(g);
        for (int r = 0; r < g; r++) {
            int row = rows[from + r];
            s.fromAnchor[r] = distance(data.array(row), data.offset(row), p, po, d);
            // non-negative floats order as their bits; the low half keeps the position
            s.order[r] = ((long) Float.floatToIntBits((float) s.fromAnchor[r]) << 32) | r;
        }
        java.util.Arrays.sort(s.order, 0, g);
        // every centroid's distance to p from below, and r0 (p to its nearest centroid) from above
        double r0 = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double sq = anchorToCentroidSq(anchorNorm, centroidNorms[j], anchorDots[dotsOff + j]);
            double slack = rounding(anchorNorm, centroidNorms[j]);
            r0 = Math.min(r0, Math.sqrt(Math.max(0, sq + slack)));
            s.toAnchorLow[j] = Math.sqrt(Math.max(0, sq - slack));
        }
        long work = 0;
        for (int b = 0; b < g; b += ROWS_PER_BLOCK) {
            int n = Math.min(ROWS_PER_BLOCK, g - b);
            double reach = 0;
            for (int r = 0; r < n; r++) {
                reach = Math.max(reach, s.fromAnchor[(int) s.order[b + r]]);
            }
            double radius = (r0 + 2 * reach) * (1 + MARGIN);
            int m = 0;
            double outside = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                if (s.toAnchorLow[j] <= radius) {
                    s.ball[m++] = j;
                } else {
                    outside = Math.min(outside, s.toAnchorLow[j]);
                }
            }
            if (s.ballRows.length < m * d) {
                s.ballRows = new float[m * d];
            }
            if (s.dots.length < ROWS_PER_BLOCK * m) {
                s.dots = new float[ROWS_PER_BLOCK * m];
            }
            for (int q = 0; q < m; q++) {
                System.arraycopy(c, s.ball[q] * d, s.ballRows, q * d, d);
                s.ballNorms[q] = centroidNorms[s.ball[q]];
            }
            for (int r = 0; r < n; r++) {
                int row = rows[from + (int) s.order[b + r]];
                System.arraycopy(data.array(row), data.offset(row), s.block, r * d, d);
            }
            kernel.dotsTransposed(s.block, 0, n, s.ballRows, m, d, s.dots);
            work += (long) m * n;
            for (int r = 0; r < n; r++) {
                // ||x||^2 is constant per row, so it is added after the search (as NearestCentroids does)
                float best = Float.POSITIVE_INFINITY;
                float second = Float.POSITIVE_INFINITY;
                int bestQ = 0;
                int secondQ = 0;
                int o = r * m;
                for (int q = 0; q < m; q++) {
                    float v = s.ballNorms[q] - 2f * s.dots[o + q];
                    if (v < best) {
                        second = best;
                        secondQ = bestQ;
                        best = v;
                        bestQ = q;
                    } else if (v < second) {
                        second = v;
                        secondQ = q;
                    }
                }
                float xn = FloatMatrix.squaredNorm(s.block, r * d, d);
                int local = (int) s.order[b + r];
                int i = from + local;
                nearest[i] = s.ball[bestQ];
                distSq[i] = Math.max(0f, xn + best);
                // a bound, so taken below the rounding of a distance computed from norms
                double secondDistance = m > 1
                        ? Math.sqrt(Math.max(0, (double) xn + second - rounding(xn, s.ballNorms[secondQ])))
                        : Double.POSITIVE_INFINITY;
                lower[i] = Math.min(secondDistance, outside - s.fromAnchor[local]);
            }
        }
        return work;
    }

    private static double anchorToCentroidSq(float anchorNorm, float centroidNorm, float dot) {
        return (double) anchorNorm + centroidNorm - 2.0 * dot;
    }

    private static double rounding(float anchorNorm, float centroidNorm) {
        return NORM_ROUNDING * ((double) anchorNorm + centroidNorm);
    }

    private static double distance(float[] x, int xo, float[] p, int po, int d) {
        return Math.sqrt(FloatMatrix.squaredDistance(x, xo, p, po, d));
    }
}
