package dev.strata.kmeans;

import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Workers;
import java.util.ArrayList;
import java.util.List;

/**
 * The second step of the paper's two-step level (its {@code n_splits}): every cluster of a coarse
 * k-means is split into m clusters by a k-means of its own members (min(m, members) clusters;
 * those left empty are dropped, so a level may end with fewer than coarse x m clusters). At web
 * scale this is how a level of 10M clusters is built from a 100k-cluster k-means. The splits are
 * independent, so they run in parallel, one single-threaded k-means per worker; each has its own
 * seed, derived from the level's and the cluster's index, so the result does not depend on the
 * thread count.
 */
final class ClusterSplitter {
    private final DotKernel kernel;
    private final Workers workers;
    private final Progress progress;
    private final DistanceCount count;

    ClusterSplitter(DotKernel kernel, Workers workers, Progress progress, DistanceCount count) {
        this.kernel = kernel;
        this.workers = workers;
        this.progress = progress;
        this.count = count;
    }

    /**
     * @param coarse a k-means of {@code input} (its assignment decides each cluster's members)
     * @param cfg    iterations, init and metric of the splits; {@code seedOf} gives each cluster's seed
     */
    KMeansResult split(
            FloatMatrix input,
            KMeansResult coarse,
            int m,
            KMeansConfig cfg,
            java.util.function.IntToLongFunction seedOf) {
        int k = coarse.centroids().rows();
        int n = input.rows();
        int d = input.dim();
        ClusterMembers grouped = ClusterMembers.of(coarse.assignment(), k);
        int[] start = grouped.start();
        int[] members = grouped.rows();
        KMeansResult[] parts = new KMeansResult[k];
        progress.start("splitting " + k + " clusters into " + m, k, "clusters");
        workers.forEach(k, c -> {
            int size = start[c + 1] - start[c];
            if (size > 0) {
                int[] rows = java.util.Arrays.copyOfRange(members, start[c], start[c + 1]);
                FloatMatrix sub = input.selectRows(rows);
                // one thread per split: the splits themselves are the parallel work
                try (KMeans one = new KMeans(kernel, 1, Progress.silent())) {
                    parts[c] = one.fit(sub, cfg.withK(Math.min(m, size)).withSeed(seedOf.applyAsLong(c)));
                    count.add(one.distances().computed(), one.distances().unpruned());
                }
            }
            progress.advance(1);
        });
        progress.finish();
        List<float[]> centroids = new ArrayList<>();
        int[] assignment = new int[n];
        float[] dist = new float[n];
        double objective = 0;
        for (int c = 0; c < k; c++) {
            if (parts[c] == null) {
                continue;
            }
            KMeansResult part = parts[c];
            long[] sizes = part.clusterSizes();
            int[] newIndex = new int[sizes.length];
            for (int j = 0; j < sizes.length; j++) {
                newIndex[j] = sizes[j] > 0 ? centroids.size() : -1;
                if (sizes[j] > 0) {
                    centroids.add(part.centroids().row(j));
                }
            }
            for (int r = 0; r < start[c + 1] - start[c]; r++) {
                int i = members[start[c] + r];
                assignment[i] = newIndex[part.assignment()[r]];
                dist[i] = part.distanceSq()[r];
                objective += dist[i];
            }
        }
        FloatMatrix all = FloatMatrix.zeros(centroids.size(), d);
        for (int j = 0; j < centroids.size(); j++) {
            all.setRow(j, centroids.get(j));
        }
        return new KMeansResult(all, assignment, dist, 0, objective);
    }
}
