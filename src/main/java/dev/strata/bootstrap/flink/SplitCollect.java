package dev.strata.bootstrap.flink;

import dev.strata.vector.FloatMatrix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level 1 of a split level from every coarse cluster's split (one task): leaves numbered by coarse
 * cluster, then by sub-cluster, as `strata bootstrap --splits` numbers them.
 */
final class SplitCollect extends KeyedCoProcessFunction<Integer, Stage, SplitResult, Stage> {
    private static final Logger LOG = LoggerFactory.getLogger(SplitCollect.class);

    private transient Stage stage;
    private transient List<SplitResult> parts;

    @Override
    public void processElement1(Stage s, Context ctx, Collector<Stage> out) {
        stage = s;
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void processElement2(SplitResult r, Context ctx, Collector<Stage> out) {
        if (parts == null) {
            parts = new ArrayList<>();
        }
        parts.add(r);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Stage> out) {
        List<SplitResult> all = parts == null ? List.of() : parts;
        all.sort(Comparator.comparingInt(r -> r.coarse));
        int d = stage.dim;
        int k = all.stream().mapToInt(r -> r.k).sum();
        FloatMatrix leaves = FloatMatrix.zeros(k, d);
        long[] sizes = new long[k];
        double distanceSum = 0;
        int at = 0;
        for (SplitResult r : all) {
            System.arraycopy(r.centroids, 0, leaves.data(), at * d, r.k * d);
            System.arraycopy(r.sizes, 0, sizes, at, r.k);
            at += r.k;
            distanceSum += r.distanceSum;
        }
        LOG.info("level 1: {} clusters after splitting {} coarse clusters", k, all.size());
        Stage done = new Stage();
        done.pass = stage.pass;
        done.k = k;
        done.dim = d;
        done.result = LevelOne.of(leaves, sizes, distanceSum);
        out.collect(done);
        stage = null;
        parts = null;
    }
}
