package dev.strata.bootstrap.flink;

import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.KMeansResult;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The second step of the paper's two-step level, keyed by coarse cluster: in BATCH mode Flink
 * sorts the rows by key and fires a key's timer once its last row is in, so each task holds one
 * coarse cluster's rows at a time (the memory a keyed group needs) and splits them into
 * min(m, rows) clusters by a k-means of their own, with the seed `strata bootstrap --splits` gives
 * that cluster. Empty sub-clusters are dropped, as there.
 */
final class SplitGroup extends KeyedProcessFunction<Integer, SplitMember, SplitResult> {
    private final ClusterBootstrapSpec spec;
    private final int splits;
    private transient ListState<SplitMember> rows;

    SplitGroup(ClusterBootstrapSpec spec, int splits) {
        this.spec = spec;
        this.splits = splits;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
        rows = getRuntimeContext().getListState(new ListStateDescriptor<>("rows", SplitMember.class));
    }

    @Override
    public void processElement(SplitMember m, Context ctx, Collector<SplitResult> out) throws Exception {
        rows.add(m);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SplitResult> out) throws Exception {
        List<SplitMember> members = new ArrayList<>();
        rows.get().forEach(members::add);
        rows.clear();
        members.sort((a, b) -> Long.compare(a.row, b.row));
        int coarse = ctx.getCurrentKey();
        out.collect(split(spec, splits, coarse, members));
    }

    /** One coarse cluster's split, as ClusterSplitter computes it for `strata bootstrap --splits`. */
    static SplitResult split(ClusterBootstrapSpec spec, int splits, int coarse, List<SplitMember> members) {
        int d = members.get(0).vector.length;
        FloatMatrix sub = FloatMatrix.zeros(members.size(), d);
        for (int i = 0; i < members.size(); i++) {
            sub.setRow(i, members.get(i).vector);
        }
        KMeansConfig level = spec.base().withSeed(HierarchicalKMeans.mix(spec.seed, 0, 0));
        KMeansResult part;
        try (KMeans one = new KMeans(Kernels.fastest(), 1, Progress.silent())) {
            part = one.fit(
                    sub,
                    level.withK(Math.min(splits, members.size()))
                            .withSeed(HierarchicalKMeans.mix(level.seed(), 0, -1 - coarse)));
        }
        long[] sizes = part.clusterSizes();
        int kept = 0;
        for (long s : sizes) {
            kept += s > 0 ? 1 : 0;
        }
        SplitResult r = new SplitResult();
        r.coarse = coarse;
        r.k = kept;
        r.centroids = new float[kept * d];
        r.sizes = new long[kept];
        int j = 0;
        for (int c = 0; c < sizes.length; c++) {
            if (sizes[c] > 0) {
                System.arraycopy(part.centroids().data(), c * d, r.centroids, j * d, d);
                r.sizes[j++] = sizes[c];
            }
        }
        for (float v : part.distanceSq()) {
            r.distanceSum += v;
        }
        return r;
    }
}
