package dev.strata.job;

import dev.strata.model.ClusterTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Adaptive admission with budgets per window (docs/architecture.md, "Budgets per window"), keyed
 * by (window, top cluster) ({@link QuotaWindows#key}): each window's top clusters have their own
 * counters and reserves and decide under their window's plan, exactly as
 * {@link AdaptiveAdmissionFunction} decides under the one horizon's. When the watermark passes a
 * window's end (an event-time timer per key), the top cluster is topped up from its reserves
 * under the window's final plan and its state is cleared, so state holds the open windows only.
 *
 * <p>An item whose window has closed is late: counted ({@code lateItems}), not curated. The
 * watermark that decides it is in every checkpoint (operator state), so an item replayed after a
 * restore is late exactly when it was before, even though Flink starts a restored task's watermark
 * from nothing.
 *
 * <p>A job that continues a run under a new model (quota.carryOver) starts each top cluster of the
 * carried window from the old run's counts in it, and takes every earlier window as closed (the
 * old run closed them): their items are late.
 */
public final class WindowedAdmissionFunction
        extends KeyedBroadcastProcessFunction<Long, AssignedItem, TopPlan, AdmittedItem>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** The latest plan of each open window, by window start. */
    public static final MapStateDescriptor<Long, TopPlan> PLANS =
            new MapStateDescriptor<>("window-plans", Types.LONG, TypeInformation.of(TopPlan.class));

    private final CurateConfig config;

    private transient QuotaWindows windows;
    private transient SubtreeAdmission<Long> subtree;
    private transient TopPlan initial;
    /** Before the carried window's first plan: the plan of what the old run saw in it. */
    private transient TopPlan carriedInitial;

    private transient long carriedWindow;
    /** The window of the item being admitted: a key's first counters depend on it (the carried window's are the old run's). */
    private transient long admitting;

    private transient ListState<Long> watermarkState;
    /** The highest watermark this task has seen, including the one restored. */
    private transient long watermark;

    private transient Counter accepted;
    private transient Counter overQuota;
    private transient Counter sampledOut;
    private transient Counter toppedUp;
    private transient Counter late;
    private transient Counter keysClosed;
    private transient volatile long planLagMillis;
    private transient volatile long planSeen;
    private transient volatile long windowStart;

    public WindowedAdmissionFunction(CurateConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        ClusterTree tree = ModelLoader.load(config.modelPath(), config.modelVersion());
        windows = config.windows();
        TopAdmission admission = new TopAdmission(tree, config.seed());
        CarriedCounts carried = CarriedCounts.of(config, tree);
        carriedWindow = carried.windowStart();
        subtree = new SubtreeAdmission<>(
                getRuntimeContext(),
                admission,
                top -> admitting == carriedWindow ? carried.top(top) : admission.counters(top),
                new CuratedJson(tree, windows),
                config.seed());
        // before a window's first plan: nothing seen, V as given (or the assumed V, CurateConfig)
        initial = new TopPlanner(tree, config.quotas(tree), config.seed()).initial();
        if (carriedWindow != Long.MIN_VALUE) {
            carriedInitial = carried.planner(config, tree).plan(carried.seenPerTop(), 0);
            carriedInitial.window = carriedWindow;
            // the old run closed the windows before the carried one; a restored watermark is later still
            watermark = Math.max(watermark, carriedWindow - 1);
        }
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        accepted = g.counter("accepted");
        overQuota = g.counter("rejectedOverQuota");
        sampledOut = g.counter("rejectedBySampling");
        toppedUp = g.counter("toppedUp");
        late = g.counter("lateItems");
        // what the state holds: (window, top cluster) keys of open windows, each dropped when its window closes
        g.gauge("windowKeys", () -> subtree.held());
        keysClosed = g.counter("windowKeysClosed");
        g.gauge("planLagMillis", () -> planLagMillis);
        g.gauge("planSeen", () -> planSeen);
        g.gauge("windowStart", () -> windowStart);
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        // union: a task restored at another parallelism sees every task's watermark; they were equal
        // at the checkpoint (aligned barriers), and the highest is the one that closed windows
        watermarkState = ctx.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("admission-watermark", Types.LONG));
        // a transient field's initialiser does not run when Flink deserialises the function: set here,
        // or a fresh task would start at 0 and take items stamped at or before 1970 (Kafka's "no
        // timestamp" is -1) for late
        watermark = Long.MIN_VALUE;
        for (Long w : watermarkState.get()) {
            watermark = Math.max(watermark, w);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        watermarkState.update(List.of(watermark));
    }

    /**
     * Writes the counters held on the heap into keyed state ({@link WindowedAdmissionOperator},
     * before every checkpoint barrier); this function must run inside that operator.
     */
    void writeBack(java.util.function.Consumer<Long> selectKey) throws Exception {
        subtree.writeBack(selectKey);
    }

    /** Items refused as late by this task since it started (the {@code lateItems} counter), for tests. */
    long lateItems() {
        return late.getCount();
    }

    private long watermark(long current) {
        watermark = Math.max(watermark, current);
        return watermark;
    }

    @Override
    public void processElement(AssignedItem item, ReadOnlyContext ctx, Collector<AdmittedItem> out) throws Exception {
        long start = windows.start(item.timestamp);
        if (windows.lastTimestamp(start) <= watermark(ctx.currentWatermark())) {
            late.inc();
            return;
        }
        TopPlan plan = ctx.getBroadcastState(PLANS).get(start);
        admitting = start;
        TopAdmission.Decision d = subtree.admit(
                ctx.getCurrentKey(),
                item,
                plan != null ? plan : before(start),
                e -> out.collect(new AdmittedItem(item.top, e, start)));
        if (subtree.started()) {
            // the key's first item: close it when the watermark passes the window's end
            ctx.timerService().registerEventTimeTimer(windows.lastTimestamp(start));
        }
        switch (d) {
            case ACCEPTED -> accepted.inc();
            case OVER_QUOTA -> overQuota.inc();
            case SAMPLED_OUT -> sampledOut.inc();
        }
        windowStart = Math.max(windowStart, start);
    }

    /** The window of the current key has closed: top the top cluster up under the window's final plan, then forget it. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AdmittedItem> out) throws Exception {
        long key = ctx.getCurrentKey();
        long start = windows.startOfKey(key);
        int top = QuotaWindows.topOfKey(key);
        TopPlan plan = ctx.getBroadcastState(PLANS).get(start);
        toppedUp.inc(subtree.topUp(
                key, top, plan != null ? plan : before(start), e -> out.collect(new AdmittedItem(top, e, start))));
        subtree.clear(key);
        keysClosed.inc();
        watermark(timestamp);
    }

    /** The plan of a window that has had none from the planner yet. */
    private TopPlan before(long start) {
        return start == carriedWindow ? carriedInitial : initial;
    }

    @Override
    public void processBroadcastElement(TopPlan plan, Context ctx, Collector<AdmittedItem> out) throws Exception {
        long wm = watermark(ctx.currentWatermark());
        BroadcastState<Long, TopPlan> plans = ctx.getBroadcastState(PLANS);
        // plans of closed windows go: their keys were topped up when the watermark passed them
        List<Long> closed = new ArrayList<>();
        for (Map.Entry<Long, TopPlan> e : plans.entries()) {
            if (windows.lastTimestamp(e.getKey()) <= wm) {
                closed.add(e.getKey());
            }
        }
        for (Long w : closed) {
            plans.remove(w);
        }
        if (windows.lastTimestamp(plan.window) > wm) {
            plans.put(plan.window, plan);
        }
        planLagMillis = Math.max(0, ctx.currentProcessingTime() - plan.madeAtMillis);
        planSeen = plan.seen;
    }
}
