package dev.strata.kmeans;

import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Workers;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The greedy k-means++ seeding as it was before its candidate distances moved into per-block arrays
 * ({@link SeedBlocks}): one array of rows x candidates, indexed in int, which overflowed above
 * 2^31 / candidates rows. Kept in the tests only, to check the product's seeding gives the same
 * centroids bit for bit.
 */
final class KMeansPlusPlusBefore {
    /** Rows per seeding task: fixed so sums are combined in the same order for any thread count. */
    private static final int SEED_BLOCK = 4096;
    /** Rows gathered per kernel call. */
    private static final int GATHER = 256;
    /** Relative widening of the reach test, far above float rounding of a distance. */
    private static final double MARGIN = 1e-5;

    private final DotKernel kernel;
    private final Workers workers;
    private final Progress progress;
    private final DistanceCount count;
    private final boolean pruned;

    KMeansPlusPlusBefore(DotKernel kernel, Workers workers, Progress progress, DistanceCount count) {
        this(kernel, workers, progress, count, true);
    }

    /** @param pruned whether steps skip the rows no candidate can take (false: every row, for comparison) */
    KMeansPlusPlusBefore(DotKernel kernel, Workers workers, Progress progress, DistanceCount count, boolean pruned) {
        this.kernel = kernel;
        this.workers = workers;
        this.progress = progress;
        this.count = count;
        this.pruned = pruned;
    }

    /**
     * Greedy k-means++ (Arthur and Vassilvitskii; the "greedy" variant of scikit-learn and the
     * paper): each step draws 2 + floor(ln k) candidates in proportion to D(x)^2 and keeps the
     * one that lowers the potential most.
     */
    FloatMatrix seed(FloatMatrix data, int k, SplittableRandom rng) {
        int n = data.rows();
        int d = data.dim();
        int trials = 2 + (int) Math.floor(Math.log(k));
        float[] rowNorms = data.rowNormsSquared();
        FloatMatrix centroids = FloatMatrix.zeros(k, d);
        float[] centroidNorms = new float[k];
        int first = rng.nextInt(n);
        System.arraycopy(data.array(first), data.offset(first), centroids.data(), 0, d);
        centroidNorms[0] = rowNorms[first];
        float[] minDist = new float[n];
        int[] closest = new int[n];
        int blocks = (n + SEED_BLOCK - 1) / SEED_BLOCK;
        distancesTo(data, rowNorms, data.selectRows(new int[] {first}), minDist, 1, blocks);
        count.add(n, n);
        double[] blockWeight = new double[blocks];
        workers.forEach(blocks, b -> blockWeight[b] = sum(minDist, b * SEED_BLOCK, Math.min(n, (b + 1) * SEED_BLOCK)));
        float[] candDist = new float[n * trials];
        int[][] reached = new int[blocks][];
        int[] reachedCount = new int[blocks];
        double[][] partial = new double[blocks][trials];
        float[] toCentres = new float[trials * k];
        float[] nearestCandidate = new float[k];
        ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});
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
            // squared distances of the candidates to the centres so far, from below
            final int centres = c;
            if (pruned) {
                // per centre: the squared distance from it to the nearest candidate, from below
                kernel.dotsTransposed(candidates.data(), 0, trials, centroids.data(), centres, d, toCentres);
                for (int j = 0; j < centres; j++) {
                    double low = Double.POSITIVE_INFINITY;
                    for (int t = 0; t < trials; t++) {
                        double sq = (double) candNorms[t] + centroidNorms[j] - 2.0 * toCentres[t * centres + j];
                        low = Math.min(
                                low, sq - AnchoredSearch.NORM_ROUNDING * ((double) candNorms[t] + centroidNorms[j]));
                    }
                    nearestCandidate[j] = (float) Math.max(0, low);
                }
            }
            // potential(candidate t) = sum_i min(D_i, dist(i, t)), per block, then in block order
            workers.forEach(blocks, b -> {
                int from = b * SEED_BLOCK;
                int to = Math.min(n, from + SEED_BLOCK);
                int[] list = reached[b] != null ? reached[b] : (reached[b] = new int[to - from]);
                double[] p = partial[b];
                Arrays.fill(p, 0);
                int count = 0;
                double unreached = 0;
                for (int i = from; i < to; i++) {
                    if (!pruned
                            || reachable(
                                    minDist[i], rowNorms[i], centroidNorms[closest[i]], nearestCandidate[closest[i]])) {
                        list[count++] = i;
                    } else {
                        unreached += minDist[i];
                    }
                }
                reachedCount[b] = count;
                float[][] buffers = scratch.get();
                if (buffers[0].length < GATHER * d) {
                    buffers[0] = new float[GATHER * d];
                    buffers[1] = new float[GATHER * trials];
                }
                float[] rows = buffers[0];
                float[] dots = buffers[1];
                for (int g = 0; g < count; g += GATHER) {
                    int m = Math.min(GATHER, count - g);
                    for (int r = 0; r < m; r++) {
                        System.arraycopy(data.array(list[g + r]), data.offset(list[g + r]), rows, r * d, d);
                    }
                    kernel.dotsTransposed(rows, 0, m, candidates.data(), trials, d, dots);
                    for (int r = 0; r < m; r++) {
                        int i = list[g + r];
                        float xn = rowNorms[i];
                        float md = minDist[i];
                        int o = i * trials;
                        int q = r * trials;
                        for (int t = 0; t < trials; t++) {
                            float v = xn + candNorms[t] - 2f * dots[q + t];
                            v = v > 0 ? v : 0f;
                            candDist[o + t] = v;
                            p[t] += md < v ? md : v;
                        }
                    }
                }
                for (int t = 0; t < trials; t++) {
                    p[t] += unreached;
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
            System.arraycopy(data.array(cand[best]), data.offset(cand[best]), centroids.data(), c * d, d);
            centroidNorms[c] = candNorms[best];
            final int chosen = best;
            workers.forEach(blocks, b -> {
                int from = b * SEED_BLOCK;
                int to = Math.min(n, from + SEED_BLOCK);
                int[] list = reached[b];
                boolean changed = false;
                for (int r = 0; r < reachedCount[b]; r++) {
                    int i = list[r];
                    float v = candDist[i * trials + chosen];
                    if (v < minDist[i]) {
                        minDist[i] = v;
                        closest[i] = centres;
                        changed = true;
                    }
                }
                if (changed) {
                    blockWeight[b] = sum(minDist, from, to);
                }
            });
            long reachedRows = 0;
            for (int x : reachedCount) {
                reachedRows += x;
            }
            count.add(reachedRows * trials + (pruned ? (long) trials * centres : 0), (long) n * trials);
            progress.advance(1);
        }
        progress.finish();
        return centroids;
    }

    /**
     * Whether some candidate may be nearer to the row than its closest centre c: only if
     * d(t, c) < 2 d(x, c). Both sides are taken on the safe side of the rounding of distances
     * computed from norms.
     */
    private static boolean reachable(float minDist, float rowNorm, float centreNorm, float nearestCandidateSq) {
        double reachSq =
                4 * ((double) minDist + AnchoredSearch.NORM_ROUNDING * ((double) rowNorm + centreNorm)) * (1 + MARGIN);
        return nearestCandidateSq < reachSq;
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
            if (data.contiguousRows(from) >= rows) {
                kernel.dotsTransposed(data.array(from), data.offset(from), rows, cands.data(), m, d, dots);
            } else {
                // a block across two chunks of a large pool: gathered, the same products
                float[] block = new float[rows * d];
                data.copyRows(from, rows, block, 0);
                kernel.dotsTransposed(block, 0, rows, cands.data(), m, d, dots);
            }
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
