package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.CarryOver;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The global step of adaptive admission with budgets per window (one key, parallelism 1): the
 * {@link QuotaPlanner}'s job for each open window on its own. Each window has its arrivals per
 * top cluster, its V (the one given, or {@link WindowVolume}'s estimate from the arrival rate)
 * and its plans, which carry the window's start. When the watermark passes a window's end (an
 * event-time timer), its arrivals are dropped and its rate kept for the next window's estimate,
 * so the state holds the open windows only. Counts of a window already closed (late items, which
 * admission does not curate) make no plan.
 *
 * <p>A job that continues a run under a new model (quota.carryOver) starts the carried window
 * from the old run's arrivals in it, plans it for T less what the old run kept outside the new
 * model's leaves, and takes the windows before it as closed.
 */
public final class WindowQuotaPlanner extends KeyedProcessFunction<Integer, TopCounts, TopPlan> {
    private static final long serialVersionUID = 1L;

    private final CurateConfig config;

    private transient QuotaWindows windows;
    private transient TopPlanner planner;
    private transient CarriedCounts carried;
    /** The planner of the carried window (its target lowered by the old run's unmapped kept items). */
    private transient TopPlanner carriedPlanner;

    private transient MapState<Long, WindowArrivals> arrivals;
    private transient ValueState<Double> lastRate;
    private transient ValueState<Long> closedThrough;
    private transient Counter plans;
    private transient volatile long planMicros;
    private transient volatile long windowVolume;
    private transient DriftWatch drift;

    public WindowQuotaPlanner(CurateConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        ClusterTree tree = ModelLoader.load(config.modelPath(), config.modelVersion());
        windows = config.windows();
        planner = new TopPlanner(tree, config.quotas(tree), config.seed());
        carried = CarriedCounts.of(config, tree);
        carriedPlanner = carried.planner(config, tree);
        arrivals = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "window-arrivals", Types.LONG, TypeInformation.of(WindowArrivals.class)));
        lastRate = getRuntimeContext().getState(new ValueStateDescriptor<>("last-window-rate", Types.DOUBLE));
        closedThrough = getRuntimeContext().getState(new ValueStateDescriptor<>("windows-closed-through", Types.LONG));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        plans = g.counter("plans");
        g.gauge("planMicros", () -> planMicros);
        g.gauge("windowVolume", () -> windowVolume);
        drift = new DriftWatch(g);
    }

    @Override
    public void processElement(TopCounts delta, Context ctx, Collector<TopPlan> out) throws Exception {
        long end = delta.window + windows.sizeMillis();
        Long closed = closedThrough.value();
        if (closed == null && carried.windowStart() != Long.MIN_VALUE) {
            closed = carried.windowStart(); // the old run closed every window before the carried one
        }
        if (end - 1 <= ctx.timerService().currentWatermark() || (closed != null && end <= closed)) {
            return;
        }
        boolean carriedWindow = delta.window == carried.windowStart();
        WindowArrivals a = arrivals.get(delta.window);
        if (a == null) {
            a = new WindowArrivals(planner.topClusters());
            if (carriedWindow) {
                CarryOver.Window w = carried.carryOver().window();
                a.seen = carried.seenPerTop();
                a.distanceSqSum = carried.distanceSqSum();
                a.earliest = w.earliest();
                a.latest = w.latest();
            }
            ctx.timerService().registerEventTimeTimer(end - 1);
        }
        a.add(delta);
        arrivals.put(delta.window, a);
        long start = System.nanoTime();
        long volume = config.expectedVolume() > 0
                ? config.expectedVolume()
                : WindowVolume.estimate(a.total(), a.earliest, a.latest, end, rate());
        TopPlan plan = (carriedWindow ? carriedPlanner : planner)
                .plan(a.seen, volume, ctx.timerService().currentProcessingTime());
        plan.window = delta.window;
        out.collect(plan);
        planMicros = (System.nanoTime() - start) / 1000;
        windowVolume = volume;
        plans.inc();
        drift.update(planner, a.seen, a.distanceSqSum);
    }

    private double rate() throws Exception {
        Double r = lastRate.value();
        return r == null ? Double.NaN : r;
    }

    /** The watermark passed a window's end: keep its rate for the next window's V, forget the rest. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TopPlan> out) throws Exception {
        long start = timestamp + 1 - windows.sizeMillis();
        long end = start + windows.sizeMillis();
        WindowArrivals a = arrivals.get(start);
        if (a != null) {
            arrivals.remove(start);
            if (a.total() > 0) {
                lastRate.update(WindowVolume.closedRate(a.total(), a.earliest, end));
            }
        }
        Long closed = closedThrough.value();
        closedThrough.update(closed == null ? end : Math.max(closed, end));
    }
}
