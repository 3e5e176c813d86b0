package dev.strata.kmeans;

import dev.strata.StrataException;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.NearestCentroids;
import java.util.SplittableRandom;

/**
 * Flat k-means: seeding (greedy k-means++ or random rows) then Lloyd iterations. The assignment
 * step goes through {@link NearestCentroids}, the blocked kernel; the update step sums members
 * per cluster in row order, so the result does not depend on how many threads ran.
 *
 * <p>An empty cluster keeps its previous centroid: it cannot produce NaN, and it stays a
 * candidate for points in later iterations. For the cosine metric the caller passes unit rows
 * and every centroid is re-normalised after each update (spherical k-means).
 */
public final class KMeans implements AutoCloseable {
    /** Rows per seeding task: fixed so sums are combined in the same order for any thread count. */
    private static final int SEED_BLOCK = 4096;

    private final DotKernel kernel;
    private final NearestCentroids nearest;
    private final Workers workers;
    private final Progress progress;

    public KMeans(DotKernel kernel, int threads, Progress progress) {
        if (threads < 1) {
            throw new StrataException("--threads must be >= 1, got " + threads);
        }
        this.kernel = kernel;
        this.nearest = new NearestCentroids(kernel, threads);
        this.workers = new Workers(threads);
        this.progress = progress;
    }

    public NearestCentroids nearest() {
        return nearest;
    }

    public KMeansResult fit(FloatMatrix data, KMeansConfig cfg) {
        return fit(data, cfg, null);
    }

    /**
     * @param initial starting centroids (a warm start, e.g. for a resampling step), or null to
     *                seed with {@code cfg.init()}
     */
    public KMeansResult fit(FloatMatrix data, KMeansConfig cfg, FloatMatrix initial) {
        int n = data.rows();
        if (initial == null && n < cfg.k()) {
            throw new StrataException("k-means with k=" + cfg.k() + " needs at least k input vectors, got " + n
                    + "; lower the cluster count");
        }
        FloatMatrix centroids = initial != null ? initial.copy() : seed(data, cfg);
        int[] assignment = new int[n];
        float[] dist = new float[n];
        double previous = Double.POSITIVE_INFINITY;
        int done = 0;
        progress.start("k-means k=" + cfg.k() + " on " + n + " vectors", cfg.iterations(), "iter");
        for (int it = 0; it < cfg.iterations(); it++) {
            nearest.assign(data, centroids, assignment, dist, Progress.silent());
            double objective = sum(dist);
            update(data, assignment, centroids, cfg.metric());
            done++;
            progress.advance(1);
            if (cfg.tolerance() > 0 && previous < Double.POSITIVE_INFINITY
                    && (previous - objective) <= cfg.tolerance() * Math.max(previous, Double.MIN_NORMAL)) {
                break;
            }
            previous = objective;
        }
        progress.finish();
        nearest.assign(data, centroids, assignment, dist, Progress.silent());
        return new KMeansResult(centroids, assignment, dist, done, sum(dist));
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    /** Centroid = mean of its members; members are visited in row order, cluster by cluster. */
    private void update(FloatMatrix data, int[] assignment, FloatMatrix centroids, Metric metric) {
        int k = centroids.rows();
        int d = data.dim();
        int[] start = new int[k + 1];
        for (int a : assignment) {
            start[a + 1]++;
        }
        for (int c = 0; c < k; c++) {
            start[c + 1] += start[c];
        }
        int[] members = new int[assignment.length];
        int[] fill = start.clone();
        for (int i = 0; i < assignment.length; i++) {
            members[fill[assignment[i]]++] = i;
        }
        float[] x = data.data();
        float[] c = centroids.data();
        int tasks = Math.min(k, workers.threads() * 8);
        workers.forEach(tasks, t -> {
            double[] acc = new double[d];
            int from = (int) ((long) k * t / tasks);
            int to = (int) ((long) k * (t + 1) / tasks);
            for (int cl = from; cl < to; cl++) {
                int count = start[cl + 1] - start[cl];
                if (count == 0) {
                    continue;
                }
                java.util.Arrays.fill(acc, 0);
                for (int m = start[cl]; m < start[cl + 1]; m++) {
                    int o = members[m] * d;
                    for (int j = 0; j < d; j++) {
                        acc[j] += x[o + j];
                    }
                }
                int co = cl * d;
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    double mean = acc[j] / count;
                    acc[j] = mean;
                    norm += mean * mean;
                }
                double scale = metric == Metric.COSINE && norm > 0 ? 1.0 / Math.sqrt(norm) : 1.0;
                for (int j = 0; j < d; j++) {
                    c[co + j] = (float) (acc[j] * scale);
                }
            }
        });
    }

    FloatMatrix seed(FloatMatrix data, KMeansConfig cfg) {
        return cfg.init() == Init.RANDOM ? randomRows(data, cfg.k(), new SplittableRandom(cfg.seed()))
                : kmeansPlusPlus(data, cfg.k(), new SplittableRandom(cfg.seed()));
    }

    private static FloatMatrix randomRows(FloatMatrix data, int k, SplittableRandom rng) {
        int n = data.rows();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int[] chosen = new int[k];
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
            chosen[i] = idx[i];
        }
        return data.selectRows(chosen);
    }

    /**
     * Greedy k-means++ (Arthur and Vassilvitskii; the "greedy" variant of scikit-learn and the
     * paper): each step draws 2 + floor(ln k) candidates in proportion to D(x)^2 and keeps the
     * one that lowers the potential most. A step is bound by streaming the data once through the
     * kernel, so each block does all its work while its rows are in cache: candidate distances and
     * potentials in one pass, the D(x)^2 update and the block's weight in a second, light one.
     */
    private FloatMatrix kmeansPlusPlus(FloatMatrix data, int k, SplittableRandom rng) {
        int n = data.rows();
        int d = data.dim();
        int trials = 2 + (int) Math.floor(Math.log(k));
        float[] rowNorms = data.rowNormsSquared();
        FloatMatrix centroids = FloatMatrix.zeros(k, d);
        int first = rng.nextInt(n);
        System.arraycopy(data.data(), first * d, centroids.data(), 0, d);
        float[] minDist = new float[n];
        int blocks = (n + SEED_BLOCK - 1) / SEED_BLOCK;
        distancesTo(data, rowNorms, data.selectRows(new int[] {first}), minDist, 1, blocks);
        double[] blockWeight = new double[blocks];
        workers.forEach(blocks, b -> blockWeight[b] = sum(minDist, b * SEED_BLOCK, Math.min(n, (b + 1) * SEED_BLOCK)));
        float[] candDist = new float[n * trials];
        double[][] partial = new double[blocks][trials];
        progress.start("k-means++ seeding k=" + k, k, "centroids");
        progress.advance(1);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double w : blockWeight) {
                total += w;
            }
            int[] cand = new int[trials];
            for (int t = 0; t < trials; t++) {
                cand[t] = total > 0 ? pick(minDist, blockWeight, rng.nextDouble() * total) : rng.nextInt(n);
            }
            FloatMatrix candidates = data.selectRows(cand);
            float[] candNorms = candidates.rowNormsSquared();
            // potential(candidate t) = sum_i min(D_i, dist(i, t)), per block, then in block order
            workers.forEach(blocks, b -> {
                int from = b * SEED_BLOCK;
                int rows = Math.min(n, from + SEED_BLOCK) - from;
                float[] dots = new float[rows * trials];
                kernel.dotsTransposed(data.data(), from * d, rows, candidates.data(), trials, d, dots);
                double[] p = partial[b];
                java.util.Arrays.fill(p, 0);
                for (int r = 0; r < rows; r++) {
                    float xn = rowNorms[from + r];
                    float md = minDist[from + r];
                    int o = (from + r) * trials;
                    for (int t = 0; t < trials; t++) {
                        float v = xn + candNorms[t] - 2f * dots[r * trials + t];
                        v = v > 0 ? v : 0f;
                        candDist[o + t] = v;
                        p[t] += Math.min(md, v);
                    }
                }
            });
            int best = 0;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double pot = 0;
                for (int b = 0; b < blocks; b++) {
                    pot += partial[b][t];
                }
                if (pot < bestPotential) {
                    bestPotential = pot;
                    best = t;
                }
            }
            System.arraycopy(data.data(), cand[best] * d, centroids.data(), c * d, d);
            final int chosen = best;
            workers.forEach(blocks, b -> {
                int from = b * SEED_BLOCK;
                int to = Math.min(n, from + SEED_BLOCK);
                double w = 0;
                for (int i = from; i < to; i++) {
                    float v = candDist[i * trials + chosen];
                    if (v < minDist[i]) {
                        minDist[i] = v;
                    }
                    w += minDist[i];
                }
                blockWeight[b] = w;
            });
            progress.advance(1);
        }
        progress.finish();
        return centroids;
    }

    private static double sum(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s;
    }

    /**
     * The row where the running sum of weights first exceeds u: the block from the block weights,
     * then the row inside it. Rounding can leave u just past the last sum; the last row with a
     * positive weight is taken then.
     */
    private static int pick(float[] weight, double[] blockWeight, double u) {
        double acc = 0;
        int lastPositive = -1;
        for (int b = 0; b < blockWeight.length; b++) {
            if (blockWeight[b] <= 0) {
                continue;
            }
            if (acc + blockWeight[b] > u) {
                int from = b * SEED_BLOCK;
                int to = Math.min(weight.length, from + SEED_BLOCK);
                for (int i = from; i < to; i++) {
                    if (weight[i] > 0) {
                        acc += weight[i];
                        lastPositive = i;
                        if (acc > u) {
                            return i;
                        }
                    }
                }
                return lastPositive;
            }
            acc += blockWeight[b];
            int from = b * SEED_BLOCK;
            for (int i = Math.min(weight.length, from + SEED_BLOCK) - 1; i >= from; i--) {
                if (weight[i] > 0) {
                    lastPositive = i;
                    break;
                }
            }
        }
        return lastPositive;
    }

    /** out[i * m + j] = squared L2 distance of row i to candidate j, clipped at 0. */
    private void distancesTo(FloatMatrix data, float[] rowNorms, FloatMatrix cands, float[] out, int m, int blocks) {
        int n = data.rows();
        int d = data.dim();
        float[] candNorms = cands.rowNormsSquared();
        workers.forEach(blocks, b -> {
            int from = b * SEED_BLOCK;
            int rows = Math.min(n, from + SEED_BLOCK) - from;
            float[] dots = new float[rows * m];
            kernel.dotsTransposed(data.data(), from * d, rows, cands.data(), m, d, dots);
            for (int r = 0; r < rows; r++) {
                float xn = rowNorms[from + r];
                for (int j = 0; j < m; j++) {
                    float v = xn + candNorms[j] - 2f * dots[r * m + j];
                    out[(from + r) * m + j] = v > 0 ? v : 0f;
                }
            }
        });
    }

    @Override
    public void close() {
        workers.close();
        nearest.close();
    }
}
