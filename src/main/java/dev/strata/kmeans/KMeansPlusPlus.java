package dev.strata.kmeans;

import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Greedy k-means++ seeding (docs/algorithm.md, section 2), streamed block by block through the
 * kernel. Deterministic for a seed whatever the thread count: blocks have a fixed size and their
 * sums are combined in block order.
 *
 * <p>Tried and left out: keeping rows grouped by nearest centre and skipping the groups (or rows)
 * a candidate cannot reach by the triangle inequality. It cut the rows a step touches to 39% on a
 * 200k x 64 Zipf mixture, yet ran 1.7x slower on 2 threads (12.4 s against 7.4 s): the
 * bookkeeping (regrouping, row filters, compaction) is serial and the kernel pass it saves is
 * already parallel and memory-bound (docs/benchmarks.md).
 */
final class KMeansPlusPlus {
    /** Rows per seeding task: fixed so sums are combined in the same order for any thread count. */
    private static final int SEED_BLOCK = 4096;

    private final DotKernel kernel;
    private final Workers workers;
    private final Progress progress;

    KMeansPlusPlus(DotKernel kernel, Workers workers, Progress progress) {
        this.kernel = kernel;
        this.workers = workers;
        this.progress = progress;
    }

    /**
     * Greedy k-means++ (Arthur and Vassilvitskii; the "greedy" variant of scikit-learn and the
     * paper): each step draws 2 + floor(ln k) candidates in proportion to D(x)^2 and keeps the
     * one that lowers the potential most. A step is bound by streaming the data once through the
     * kernel, so each block does all its work while its rows are in cache: candidate distances and
     * potentials in one pass, the D(x)^2 update and the block's weight in a second, light one.
     */
    FloatMatrix seed(FloatMatrix data, int k, SplittableRandom rng) {
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
                Arrays.fill(p, 0);
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
}
