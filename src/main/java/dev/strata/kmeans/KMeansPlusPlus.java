package dev.strata.kmeans;

import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Greedy k-means++ seeding (Arthur and Vassilvitskii; the "greedy" variant of scikit-learn and the
 * paper): each step draws 2 + floor(ln k) candidates in proportion to D(x)^2, the squared distance
 * to the nearest centre so far, and keeps the one that lowers the potential sum_x D(x)^2 most.
 *
 * <p>Rows are kept in groups by their nearest centre, with each group's potential and radius (its
 * largest D(x)^2). A candidate c cannot bring any row of group j closer when
 * |c - centre_j| >= 2 * radius_j (triangle inequality), so a step only streams the rows of the
 * groups near its candidates through the kernel. On clustered inputs, such as a resampling step's
 * sample (a few points closest to each centroid), a step soon touches a few groups, which is what
 * makes re-seeding at every resampling step affordable. Where pruning cannot help (noise-dominated
 * high-dimensional data, early steps) more than half the rows are near, and the step streams all
 * rows in row order as the plain algorithm does. Either way the gain of a candidate,
 * sum_x max(0, D(x)^2 - |x - c|^2), is computed exactly over the rows it can change.
 *
 * <p>Deterministic for a seed whatever the thread count: rows are cut into chunks of fixed size,
 * chunk sums are combined in chunk order, and every group lists its rows in ascending order.
 */
final class KMeansPlusPlus {
    /** Rows per task: fixed so sums are combined in the same order for any thread count. */
    static final int CHUNK = 4096;
    /** Slack on the pruning bound, so float rounding can never skip a row the exact test would keep. */
    private static final double PRUNE_SLACK = 1e-4;

    private final DotKernel kernel;
    private final Workers workers;
    private final Progress progress;
    private final ThreadLocal<float[]> gathered = ThreadLocal.withInitial(() -> new float[0]);

    KMeansPlusPlus(DotKernel kernel, Workers workers, Progress progress) {
        this.kernel = kernel;
        this.workers = workers;
        this.progress = progress;
    }

    FloatMatrix seed(FloatMatrix data, int k, SplittableRandom rng) {
        return new Run(data, k, rng).seed();
    }

    private final class Run {
        private final float[] x;
        private final int n;
        private final int d;
        private final int k;
        private final int trials;
        private final SplittableRandom rng;
        private final float[] rowNorms;
        /** D(x)^2 per row, and the group (nearest centre) of each row. */
        private final float[] minDist;
        private final int[] groupOf;
        private final FloatMatrix centres;
        private final float[] centreNorms;
        /** members[j][0..size[j]): the rows of group j, ascending. */
        private final int[][] members;
        private final int[] size;
        private final double[] potential;
        private final float[] radius;
        private int chosen;

        Run(FloatMatrix data, int k, SplittableRandom rng) {
            this.x = data.data();
            this.n = data.rows();
            this.d = data.dim();
            this.k = k;
            this.trials = 2 + (int) Math.floor(Math.log(k));
            this.rng = rng;
            this.rowNorms = data.rowNormsSquared();
            this.minDist = new float[n];
            this.groupOf = new int[n];
            this.centres = FloatMatrix.zeros(k, d);
            this.centreNorms = new float[k];
            this.members = new int[k][];
            this.size = new int[k];
            this.potential = new double[k];
            this.radius = new float[k];
        }

        FloatMatrix seed() {
            progress.start("k-means++ seeding k=" + k, k, "centroids");
            int first = rng.nextInt(n);
            addCentre(first);
            float[] firstRow = centres.row(0);
            float[] firstNorm = norms(firstRow);
            int blocks = (n + CHUNK - 1) / CHUNK;
            workers.forEach(blocks, b -> {
                int from = b * CHUNK;
                int rows = Math.min(n, from + CHUNK) - from;
                float[] dist = distances(x, from * d, rows, from, firstRow, 1, firstNorm);
                System.arraycopy(dist, 0, minDist, from, rows);
            });
            regroupAll();
            progress.advance(1);
            while (chosen < k) {
                step();
                progress.advance(1);
            }
            progress.finish();
            return centres;
        }

        private void step() {
            double total = 0;
            for (int j = 0; j < chosen; j++) {
                total += potential[j];
            }
            float[] cand = new float[trials * d];
            int[] candRow = new int[trials];
            for (int t = 0; t < trials; t++) {
                candRow[t] = total > 0 ? draw(rng.nextDouble() * total) : rng.nextInt(n);
                System.arraycopy(x, candRow[t] * d, cand, t * d, d);
            }
            float[] candNorms = norms(cand);
            int[] near = nearGroups(cand, candNorms);
            long nearRows = 0;
            for (int g : near) {
                nearRows += size[g];
            }
            if (2 * nearRows > n) {
                denseStep(cand, candNorms, candRow);
            } else {
                sparseStep(cand, candNorms, candRow, near, (int) nearRows);
            }
        }

        /** Every row, in row order, straight from the data: the plain algorithm's pass. */
        private void denseStep(float[] cand, float[] candNorms, int[] candRow) {
            int blocks = (n + CHUNK - 1) / CHUNK;
            float[][] dists = new float[blocks][];
            double[][] gains = new double[blocks][];
            workers.forEach(blocks, b -> {
                int from = b * CHUNK;
                int rows = Math.min(n, from + CHUNK) - from;
                dists[b] = distances(x, from * d, rows, from, cand, trials, candNorms);
                gains[b] = gains(dists[b], rows, r -> from + r);
            });
            int best = best(gains);
            addCentre(candRow[best]);
            int g = chosen - 1;
            for (int b = 0; b < blocks; b++) {
                int from = b * CHUNK;
                float[] dist = dists[b];
                for (int r = 0; r < dist.length / trials; r++) {
                    float v = dist[r * trials + best];
                    if (v < minDist[from + r]) {
                        minDist[from + r] = v;
                        groupOf[from + r] = g;
                    }
                }
            }
            regroupAll();
        }

        /** Only the rows of the groups near some candidate, gathered group after group. */
        private void sparseStep(float[] cand, float[] candNorms, int[] candRow, int[] near, int nearRows) {
            int[] rowsList = new int[nearRows];
            int p = 0;
            for (int g : near) {
                System.arraycopy(members[g], 0, rowsList, p, size[g]);
                p += size[g];
            }
            int chunks = (nearRows + CHUNK - 1) / CHUNK;
            float[][] dists = new float[chunks][];
            double[][] gains = new double[chunks][];
            workers.forEach(chunks, c -> {
                int from = c * CHUNK;
                int rows = Math.min(nearRows, from + CHUNK) - from;
                float[] buf = gathered.get();
                if (buf.length < rows * d) {
                    buf = new float[rows * d];
                    gathered.set(buf);
                }
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(x, rowsList[from + r] * d, buf, r * d, d);
                }
                dists[c] = distances(buf, 0, rows, -1, cand, trials, candNorms, rowsList, from);
                gains[c] = gains(dists[c], rows, r -> rowsList[from + r]);
            });
            int best = best(gains);
            addCentre(candRow[best]);
            int g = chosen - 1;
            int[] joined = new int[nearRows];
            int joinedSize = 0;
            for (int c = 0; c < chunks; c++) {
                float[] dist = dists[c];
                for (int r = 0; r < dist.length / trials; r++) {
                    int i = rowsList[c * CHUNK + r];
                    float v = dist[r * trials + best];
                    if (v < minDist[i]) {
                        minDist[i] = v;
                        groupOf[i] = g;
                        joined[joinedSize++] = i;
                    }
                }
            }
            for (int old : near) {
                int[] m = members[old];
                int kept = 0;
                for (int r = 0; r < size[old]; r++) {
                    if (groupOf[m[r]] == old) {
                        m[kept++] = m[r];
                    }
                }
                size[old] = kept;
                refresh(old);
            }
            int[] mine = Arrays.copyOf(joined, joinedSize);
            Arrays.sort(mine);
            members[g] = mine;
            size[g] = joinedSize;
            refresh(g);
        }

        /** Per candidate, sum over the rows of max(0, D(x)^2 - |x - c|^2): how much it lowers the potential. */
        private double[] gains(float[] dist, int rows, java.util.function.IntUnaryOperator rowAt) {
            double[] gain = new double[trials];
            for (int r = 0; r < rows; r++) {
                float md = minDist[rowAt.applyAsInt(r)];
                for (int t = 0; t < trials; t++) {
                    float v = dist[r * trials + t];
                    if (v < md) {
                        gain[t] += md - v;
                    }
                }
            }
            return gain;
        }

        /** The candidate with the largest gain, summed chunk by chunk; on a tie the first drawn. */
        private int best(double[][] gains) {
            double[] total = new double[trials];
            for (double[] g : gains) {
                for (int t = 0; t < trials; t++) {
                    total[t] += g[t];
                }
            }
            int best = 0;
            for (int t = 1; t < trials; t++) {
                if (total[t] > total[best]) {
                    best = t;
                }
            }
            return best;
        }

        /** The row where the running sum of D(x)^2 first exceeds u, walking groups, then their rows. */
        private int draw(double u) {
            double acc = 0;
            int lastGroup = -1;
            for (int j = 0; j < chosen; j++) {
                if (potential[j] <= 0) {
                    continue;
                }
                lastGroup = j;
                if (acc + potential[j] > u) {
                    return drawIn(j, u - acc);
                }
                acc += potential[j];
            }
            // rounding left u past the last sum: the last row with a positive weight
            return drawIn(lastGroup, Double.POSITIVE_INFINITY);
        }

        private int drawIn(int group, double u) {
            int[] m = members[group];
            double acc = 0;
            int lastPositive = m[0];
            for (int r = 0; r < size[group]; r++) {
                float w = minDist[m[r]];
                if (w > 0) {
                    acc += w;
                    lastPositive = m[r];
                    if (acc > u) {
                        return m[r];
                    }
                }
            }
            return lastPositive;
        }

        /** Groups some candidate may bring closer: not those with |c - centre| >= 2 sqrt(radius) for every c. */
        private int[] nearGroups(float[] cand, float[] candNorms) {
            float[] dots = new float[trials * chosen];
            kernel.dotsTransposed(cand, 0, trials, centres.data(), chosen, d, dots);
            int[] out = new int[chosen];
            int count = 0;
            for (int j = 0; j < chosen; j++) {
                if (size[j] == 0) {
                    continue;
                }
                for (int t = 0; t < trials; t++) {
                    double dcc = (double) candNorms[t] + centreNorms[j] - 2.0 * dots[t * chosen + j];
                    double bound = 4.0 * radius[j] * (1 + PRUNE_SLACK) + PRUNE_SLACK * (candNorms[t] + centreNorms[j]);
                    if (dcc < bound) {
                        out[count++] = j;
                        break;
                    }
                }
            }
            return Arrays.copyOf(out, count);
        }

        private float[] distances(float[] src, int srcOff, int rows, int firstRow, float[] targets, int count,
                float[] targetNorms) {
            return distances(src, srcOff, rows, firstRow, targets, count, targetNorms, null, 0);
        }

        /**
         * Squared distances, clipped at 0, of {@code rows} rows of src to {@code count} targets; row r is
         * data row firstRow + r, or rowList[listFrom + r] when a list is given.
         */
        private float[] distances(float[] src, int srcOff, int rows, int firstRow, float[] targets, int count,
                float[] targetNorms, int[] rowList, int listFrom) {
            float[] out = new float[rows * count];
            kernel.dotsTransposed(src, srcOff, rows, targets, count, d, out);
            for (int r = 0; r < rows; r++) {
                float xn = rowNorms[rowList == null ? firstRow + r : rowList[listFrom + r]];
                for (int t = 0; t < count; t++) {
                    float v = xn + targetNorms[t] - 2f * out[r * count + t];
                    out[r * count + t] = v > 0 ? v : 0f;
                }
            }
            return out;
        }

        /** Member lists from groupOf, rows ascending (a counting sort), and every group's sums. */
        private void regroupAll() {
            Arrays.fill(size, 0, chosen, 0);
            for (int i = 0; i < n; i++) {
                size[groupOf[i]]++;
            }
            for (int j = 0; j < chosen; j++) {
                if (members[j] == null || members[j].length < size[j]) {
                    members[j] = new int[size[j]];
                }
            }
            int[] fill = new int[chosen];
            for (int i = 0; i < n; i++) {
                int g = groupOf[i];
                members[g][fill[g]++] = i;
            }
            for (int j = 0; j < chosen; j++) {
                refresh(j);
            }
        }

        private void addCentre(int row) {
            System.arraycopy(x, row * d, centres.data(), chosen * d, d);
            centreNorms[chosen] = norms(centres.row(chosen))[0];
            chosen++;
        }

        /** A group's potential (summed in row order) and radius. */
        private void refresh(int group) {
            double sum = 0;
            float max = 0;
            int[] m = members[group];
            for (int r = 0; r < size[group]; r++) {
                float v = minDist[m[r]];
                sum += v;
                max = Math.max(max, v);
            }
            potential[group] = sum;
            radius[group] = max;
        }

        /** Squared norms of rows laid end to end, accumulated in double like {@link FloatMatrix#rowNormsSquared()}. */
        private float[] norms(float[] rows) {
            return new FloatMatrix(rows, rows.length / d, d).rowNormsSquared();
        }
    }
}
