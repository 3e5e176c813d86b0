package dev.strata.job;

import dev.strata.model.LevelStats;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the accepted count of every top cluster (one key, parallelism 1: the stream of deltas
 * is tiny) and shows the balance of the curated set on the dashboard: the normalised entropy
 * of accepted counts over top clusters (1 = perfectly even).
 */
public final class BalanceMonitor extends KeyedProcessFunction<Integer, TopDelta, Void> {
    private static final long serialVersionUID = 1L;

    private final int topClusters;
    /** Accepted per top cluster by a run this job continues under a new model (quota.carryOver), or null. */
    private final long[] carried;

    private transient ValueState<long[]> counts;
    private transient volatile long[] snapshot;
    private transient volatile long total;

    public BalanceMonitor(int topClusters) {
        this(topClusters, null);
    }

    /** The monitor of a run that continues one which kept {@code carried} items per top cluster. */
    public BalanceMonitor(int topClusters, long[] carried) {
        this.topClusters = topClusters;
        this.carried = carried;
    }

    @Override
    public void open(OpenContext ctx) {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("accepted-per-top", long[].class));
        snapshot = new long[topClusters];
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        g.gauge("acceptedEntropy", () -> LevelStats.normalizedEntropy(snapshot));
        g.gauge("acceptedTotal", () -> total);
        g.gauge("topClustersWithItems", () -> {
            int n = 0;
            for (long c : snapshot) {
                n += c > 0 ? 1 : 0;
            }
            return n;
        });
    }

    @Override
    public void processElement(TopDelta d, Context ctx, Collector<Void> out) throws Exception {
        long[] c = counts.value();
        if (c == null) {
            c = carried != null ? carried.clone() : new long[topClusters];
        }
        c[d.top] += d.delta;
        counts.update(c);
        // gauges are read from another thread: publish a fresh array rather than mutate a shared one
        snapshot = c.clone();
        long sum = 0;
        for (long v : c) {
            sum += v;
        }
        // from the restored state, so the gauges are right again after a restart
        total = sum;
    }
}
