package dev.strata.bootstrap.flink;

import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import dev.strata.vector.PreparedCentroids;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The one pass of a split level (one task's slice): every row to its nearest coarse centroid,
 * emitted with the row so Flink groups each coarse cluster's rows into one task for its split.
 */
final class MemberScan extends RichFlatMapFunction<Stage, SplitMember> {
    private final String input;
    private final Metric metric;

    MemberScan(ClusterBootstrapSpec spec) {
        this.input = spec.input;
        this.metric = spec.base().metric();
    }

    @Override
    public void flatMap(Stage stage, Collector<SplitMember> out) {
        int d = stage.dim;
        try (NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), 1)) {
            PreparedCentroids prepared = nearest.prepare(stage.matrix());
            int[] index = new int[SliceScanner.BLOCK_ROWS];
            float[] dist = new float[SliceScanner.BLOCK_ROWS];
            SliceScanner.scan(getRuntimeContext(), input, metric, (first, rows) -> {
                nearest.assign(rows, prepared, index, dist, Progress.silent());
                for (int r = 0; r < rows.rows(); r++) {
                    float[] v = new float[d];
                    System.arraycopy(rows.data(), r * d, v, 0, d);
                    out.collect(new SplitMember(index[r], first + r, v));
                }
            });
        }
    }
}
