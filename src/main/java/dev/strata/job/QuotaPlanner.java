package dev.strata.job;

import dev.strata.model.ClusterTree;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The global step of adaptive admission (one key, parallelism 1): adds up the arrivals per top
 * cluster that every {@link ArrivalCounter} sends, re-plans the top-level budgets
 * ({@link TopPlanner}) and emits the plan, which the job broadcasts to every admission subtask.
 * It sits upstream of admission, fed by assignment, so the graph has no cycle; its counts are
 * keyed state in the same checkpoints as the source offsets. It also watches drift: the share
 * of arrivals per top cluster against the pool's.
 */
public final class QuotaPlanner extends KeyedProcessFunction<Integer, TopCounts, TopPlan> {
    private static final long serialVersionUID = 1L;

    private final CurateConfig config;

    private transient TopPlanner planner;
    private transient CarriedCounts carried;
    private transient ValueState<long[]> seen;
    private transient ValueState<Double> distanceSum;
    private transient Counter plans;
    private transient volatile long planMicros;
    private transient DriftWatch drift;

    public QuotaPlanner(CurateConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        ClusterTree tree = ModelLoader.load(config.modelPath(), config.modelVersion());
        // a run continued under a new model (quota.carryOver) plans from the arrivals the old run saw
        carried = CarriedCounts.of(config, tree);
        planner = carried.planner(config, tree);
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("arrivals-per-top", long[].class));
        distanceSum = getRuntimeContext().getState(new ValueStateDescriptor<>("arrival-distance-sum", Types.DOUBLE));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        plans = g.counter("plans");
        g.gauge("planMicros", () -> planMicros);
        drift = new DriftWatch(g);
    }

    @Override
    public void processElement(TopCounts delta, Context ctx, Collector<TopPlan> out) throws Exception {
        long[] s = seen.value();
        if (s == null) {
            s = carried.seenPerTop();
        }
        for (int i = 0; i < s.length; i++) {
            s[i] += delta.counts[i];
        }
        seen.update(s);
        long start = System.nanoTime();
        out.collect(planner.plan(s, ctx.timerService().currentProcessingTime()));
        planMicros = (System.nanoTime() - start) / 1000;
        plans.inc();
        double d = (distanceSum.value() == null ? carried.distanceSqSum() : distanceSum.value()) + delta.distanceSqSum;
        distanceSum.update(d);
        drift.update(planner, s, d);
    }
}
