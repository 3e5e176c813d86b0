package dev.strata.bootstrap.flink;

import dev.strata.kmeans.Resampling;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.random.SplitMix64;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import dev.strata.vector.PreparedCentroids;
import java.util.ArrayList;
import java.util.PriorityQueue;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * A pass over the pool (one task's slice): every row to its nearest centroid, per cluster the rows
 * and their squared distances, and the best-ranked {@code poolSize} rows of each cluster for the
 * next resampling step. Emits one {@link ClusterPartial} per non-empty cluster, so what leaves a
 * task is k records plus k x s rows, not the slice.
 */
final class AssignScan extends RichFlatMapFunction<Stage, ClusterPartial> {
    private final String input;
    private final Metric metric;
    private final Resampling mode;
    private final long seed;

    AssignScan(ClusterBootstrapSpec spec) {
        this.input = spec.input;
        this.metric = spec.base().metric();
        this.mode = spec.resamplingMode();
        this.seed = spec.seed;
    }

    @Override
    public void flatMap(Stage stage, Collector<ClusterPartial> out) {
        if (stage.result != null) {
            return; // level 1 settled early (a collapsed resampling step): nothing left to scan
        }
        int k = stage.k;
        int d = stage.dim;
        FloatMatrix centroids = stage.matrix();
        long[] count = new long[k];
        double[] distanceSum = new double[k];
        int s = stage.poolSize;
        @SuppressWarnings("unchecked")
        PriorityQueue<PoolMember>[] kept = new PriorityQueue[s > 0 ? k : 0];
        try (NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), 1)) {
            PreparedCentroids prepared = nearest.prepare(centroids);
            int[] index = new int[SliceScanner.BLOCK_ROWS];
            float[] dist = new float[SliceScanner.BLOCK_ROWS];
            SliceScanner.scan(getRuntimeContext(), input, metric, (first, rows) -> {
                nearest.assign(rows, prepared, index, dist, Progress.silent());
                float[] x = rows.data();
                for (int r = 0; r < rows.rows(); r++) {
                    int c = index[r];
                    float dr = stage.exactDistances
                            ? (float) FloatMatrix.squaredDistance(x, r * d, centroids.data(), c * d, d)
                            : dist[r];
                    count[c]++;
                    distanceSum[c] += dr;
                    if (s > 0) {
                        offer(kept, c, s, first + r, dr, x, r * d, d);
                    }
                }
            });
        }
        for (int c = 0; c < k; c++) {
            if (count[c] == 0) {
                continue;
            }
            ClusterPartial p = new ClusterPartial(c);
            p.count = count[c];
            p.distanceSum = distanceSum[c];
            if (s > 0) {
                p.members = new ArrayList<>(kept[c]);
            }
            out.collect(p);
        }
    }

    /** Keeps the s best-ranked rows of cluster c in a max-heap (its worst member on top). */
    private void offer(
            PriorityQueue<PoolMember>[] kept, int c, int s, long row, float dist, float[] x, int off, int d) {
        long order = mode == Resampling.CLOSEST ? Float.floatToIntBits(dist) : SplitMix64.mix(seed ^ row) >>> 1;
        PriorityQueue<PoolMember> heap = kept[c];
        if (heap == null) {
            heap = kept[c] = new PriorityQueue<>((a, b) -> PoolMember.compare(b, a));
        }
        if (heap.size() == s) {
            PoolMember worst = heap.peek();
            if (!(order != worst.order ? order < worst.order : row < worst.row)) {
                return;
            }
            heap.poll();
        }
        float[] v = new float[d];
        System.arraycopy(x, off, v, 0, d);
        heap.add(new PoolMember(row, order, v));
    }
}
