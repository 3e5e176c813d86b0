package dev.strata.bench;

import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.KMeansResult;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;

/**
 * One-level k-means timed the way the FAISS figure in docs/benchmarks.md was taken: random init, a fixed
 * number of Lloyd iterations, no early stop. k-means++ seeding is timed on its own, because it
 * is what bootstrap uses by default and its cost does not scale like the Lloyd loop.
 */
final class KMeansBenchmark {
    /** The k-means seed; fixed so every run times the same work. */
    static final long SEED = 1;

    /**
     * @param totalSeconds     the whole fit with random init: seeding, the Lloyd loop and the final assignment
     * @param lloydSeconds     the Lloyd loop alone (assignment + update per iteration)
     * @param fastestIteration the fastest single Lloyd iteration
     * @param assignSeconds    one assignment pass alone, fastest of two, on the fitted centroids
     * @param plusPlusSeconds  greedy k-means++ seeding alone
     */
    record Result(
            int threads,
            double totalSeconds,
            double lloydSeconds,
            double fastestIteration,
            double assignSeconds,
            double plusPlusSeconds,
            int emptyClusters) {}

    private final FloatMatrix data;
    private final int k;
    private final int iterations;

    KMeansBenchmark(FloatMatrix data, int k, int iterations) {
        this.data = data;
        this.k = k;
        this.iterations = iterations;
    }

    /** Flops of one assignment step: 2*n*k*d. */
    double assignFlops() {
        return 2.0 * data.rows() * k * data.dim();
    }

    Result run(DotKernel kernel, int threads) {
        PhaseTimer timer = new PhaseTimer();
        try (KMeans kmeans = new KMeans(kernel, threads, timer)) {
            KMeansConfig random = new KMeansConfig(k, iterations, 0, Init.RANDOM, Metric.L2, SEED);
            long t0 = System.nanoTime();
            KMeansResult fit = kmeans.fit(data, random);
            double total = (System.nanoTime() - t0) / 1e9;
            double lloyd = timer.seconds("k-means k=");
            double fastest = timer.fastestUnit("k-means k=");
            double assign = Math.min(assignOnce(kmeans, fit.centroids()), assignOnce(kmeans, fit.centroids()));
            timer.reset();
            // zero Lloyd iterations: the fit is the seeding plus one assignment, and only the seeding step is read
            kmeans.fit(data, new KMeansConfig(k, 0, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, SEED));
            double plusPlus = timer.seconds("k-means++ seeding");
            int empty = 0;
            for (long size : fit.clusterSizes()) {
                if (size == 0) {
                    empty++;
                }
            }
            return new Result(threads, total, lloyd, fastest, assign, plusPlus, empty);
        }
    }

    private double assignOnce(KMeans kmeans, FloatMatrix centroids) {
        int[] idx = new int[data.rows()];
        float[] dist = new float[data.rows()];
        long t0 = System.nanoTime();
        kmeans.nearest().assign(data, centroids, idx, dist, Progress.silent());
        return (System.nanoTime() - t0) / 1e9;
    }
}
