package dev.strata.kmeans;

import dev.strata.StrataException;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.NearestCentroids;
import dev.strata.vector.Workers;
import java.util.Arrays;
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
    private final DotKernel kernel;
    private final NearestCentroids nearest;
    private final Workers workers;
    private final Progress progress;
    private final boolean boundedLloyd;
    private final DistanceCount distances = new DistanceCount();

    public KMeans(DotKernel kernel, int threads, Progress progress) {
        this(kernel, threads, progress, true);
    }

    /** @param boundedLloyd whether assignment steps skip rows by Hamerly's bounds (false: full searches, for comparison) */
    KMeans(DotKernel kernel, int threads, Progress progress, boolean boundedLloyd) {
        if (threads < 1) {
            throw new StrataException("threads must be >= 1, got " + threads);
        }
        this.kernel = kernel;
        // one set of T threads for the nearest-centroid search and the parallel steps here
        this.workers = new Workers(threads);
        this.nearest = new NearestCentroids(kernel, workers);
        this.progress = progress;
        this.boundedLloyd = boundedLloyd;
    }

    public NearestCentroids nearest() {
        return nearest;
    }

    /** Splits clusters in parallel on this instance's threads (the paper's two-step level). */
    ClusterSplitter splitter(Progress splitProgress) {
        return new ClusterSplitter(kernel, workers, splitProgress, distances);
    }

    /** The row-to-centre distances this instance's fits computed, against their unpruned cost. */
    public DistanceCount distances() {
        return distances;
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
        progress.start("k-means k=" + cfg.k() + " on " + n + " vectors", cfg.iterations(), "iter");
        KMeansResult result;
        if (boundedLloyd && cfg.tolerance() == 0 && cfg.k() >= 2) {
            result = lloydWithBounds(data, centroids, cfg);
        } else {
            int done = lloyd(data, centroids, cfg);
            // the sizes and distances of a result belong to its final centroids, found by a full search
            int[] assignment = new int[n];
            float[] dist = new float[n];
            nearest.assign(data, centroids, assignment, dist, Progress.silent());
            distances.add((long) n * cfg.k(), (long) n * cfg.k());
            result = new KMeansResult(centroids, assignment, dist, done, sum(dist));
        }
        progress.finish();
        return result;
    }

    /**
     * Lloyd iterations with a full search at every assignment step; the only form that can stop on
     * {@code tolerance}, which needs the objective of every step. Returns the updates made.
     */
    private int lloyd(FloatMatrix data, FloatMatrix centroids, KMeansConfig cfg) {
        int n = data.rows();
        int[] assignment = new int[n];
        int[] previousAssignment = new int[n];
        float[] dist = new float[n];
        double previous = Double.POSITIVE_INFINITY;
        int done = 0;
        for (int it = 0; it < cfg.iterations(); it++) {
            nearest.assign(data, centroids, assignment, dist, Progress.silent());
            distances.add((long) n * cfg.k(), (long) n * cfg.k());
            // An unchanged assignment means the centroids already are its means (summed in the same
            // order, so bitwise): every further iteration would repeat this one, and stopping here
            // returns exactly what running all of them would.
            if (it > 0 && Arrays.equals(assignment, previousAssignment)) {
                break;
            }
            double objective = sum(dist);
            update(data, assignment, centroids, cfg.metric());
            done++;
            progress.advance(1);
            if (cfg.tolerance() > 0
                    && previous < Double.POSITIVE_INFINITY
                    && (previous - objective) <= cfg.tolerance() * Math.max(previous, Double.MIN_NORMAL)) {
                break;
            }
            previous = objective;
            int[] swap = previousAssignment;
            previousAssignment = assignment;
            assignment = swap;
        }
        return done;
    }

    /**
     * The same iterations, with assignment steps that search only the rows whose bounds allow a
     * move, and only among the centroids near their own. The assignment step after the last update
     * is one more such step, so the result's assignment belongs to its final centroids without a
     * full search.
     */
    private KMeansResult lloydWithBounds(FloatMatrix data, FloatMatrix centroids, KMeansConfig cfg) {
        HamerlyBounds bounds = new HamerlyBounds(data, nearest, workers, distances);
        bounds.initial(centroids);
        int[] previousAssignment = new int[data.rows()];
        int done = 0;
        for (int it = 0; it < cfg.iterations(); it++) {
            int[] assignment = bounds.assignment();
            if (it > 0 && Arrays.equals(assignment, previousAssignment)) {
                break;
            }
            System.arraycopy(assignment, 0, previousAssignment, 0, assignment.length);
            FloatMatrix before = centroids.copy();
            update(data, assignment, centroids, cfg.metric());
            done++;
            progress.advance(1);
            bounds.reassign(before, centroids);
        }
        int[] assignment = bounds.assignment().clone();
        float[] dist = distancesToOwn(data, centroids, assignment);
        return new KMeansResult(centroids, assignment, dist, done, sum(dist));
    }

    /**
     * Every row's nearest centroid among {@code centroids}, searched only around the centroid it
     * had in {@code previous} (an earlier clustering of the same rows): the result of a full
     * search, at the cost of the centroids near each old cluster ({@link AnchoredSearch}).
     */
    KMeansResult reassign(FloatMatrix data, FloatMatrix centroids, KMeansResult previous) {
        int n = data.rows();
        ClusterMembers groups =
                ClusterMembers.of(previous.assignment(), previous.centroids().rows());
        int[] rows = groups.rows();
        AnchoredSearch.Found found = new AnchoredSearch(kernel, workers, distances)
                .search(data, rows, groups.start(), previous.centroids(), centroids);
        distances.add(0, (long) n * centroids.rows());
        int[] assignment = new int[n];
        float[] dist = new float[n];
        for (int r = 0; r < n; r++) {
            assignment[rows[r]] = found.nearest()[r];
            dist[rows[r]] = found.distSq()[r];
        }
        return new KMeansResult(centroids, assignment, dist, 0, sum(dist));
    }

    /** Squared distance of every row to its own centroid, accumulated in double. */
    private float[] distancesToOwn(FloatMatrix data, FloatMatrix centroids, int[] assignment) {
        int n = data.rows();
        int d = data.dim();
        float[] c = centroids.data();
        float[] dist = new float[n];
        int block = 4096;
        // bounds in long: (b + 1) x block passes 2^31 in the last block of a pool near 2^31 rows
        workers.forEach((int) (((long) n + block - 1) / block), b -> {
            int to = (int) Math.min(n, (long) (b + 1) * block);
            for (int i = b * block; i < to; i++) {
                dist[i] = (float) FloatMatrix.squaredDistance(data.array(i), data.offset(i), c, assignment[i] * d, d);
            }
        });
        return dist;
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
        ClusterMembers grouped = ClusterMembers.of(assignment, k);
        int[] start = grouped.start();
        int[] members = grouped.rows();
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
                Arrays.fill(acc, 0);
                for (int m = start[cl]; m < start[cl + 1]; m++) {
                    float[] x = data.array(members[m]);
                    int o = data.offset(members[m]);
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
        return cfg.init() == Init.RANDOM
                ? randomRows(data, cfg.k(), new SplittableRandom(cfg.seed()))
                : new KMeansPlusPlus(kernel, workers, progress, distances)
                        .seed(data, cfg.k(), new SplittableRandom(cfg.seed()));
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

    @Override
    public void close() {
        nearest.close();
        workers.close();
    }
}
