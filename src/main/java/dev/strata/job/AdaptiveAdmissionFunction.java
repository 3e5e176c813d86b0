package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.Uniform;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Adaptive admission, keyed by top cluster, with the {@link QuotaPlanner}'s latest plan as
 * broadcast state: each item is decided on arrival by {@link TopAdmission} (leaf quotas
 * re-planned from this top cluster's counters, selection sampling, never revoked) and accepted
 * items go on to the {@link TargetCap}. The counters are keyed state (held on the heap between
 * checkpoints, {@link #countersOf}) and the plan is broadcast state, both in every checkpoint. Before the first plan arrives the task plans as the planner
 * would with nothing seen: the pool's shares over V.
 *
 * <p>Unlike the fixed plan, a decision depends on which plan had arrived when the item did, so
 * a replay after a failure may pick a different, equally valid sample; the caps hold either way.
 */
public final class AdaptiveAdmissionFunction
        extends KeyedBroadcastProcessFunction<Integer, AssignedItem, TopPlan, AdmittedItem> {
    private static final long serialVersionUID = 1L;

    /** The latest plan under key 0: broadcast state is a map, and there is one plan. */
    public static final MapStateDescriptor<Integer, TopPlan> PLAN =
            new MapStateDescriptor<>("top-plan", Types.INT, TypeInformation.of(TopPlan.class));

    /** Name of the per-top-cluster counters' state (the operator lists its keys at the end of input). */
    static final String COUNTERS = "top-counters";

    private final CurateConfig config;

    private transient TopAdmission admission;
    private transient CarriedCounts carried;
    private transient TopPlan initial;
    private transient CuratedJson json;
    private transient ValueState<TopCounters> counters;
    private transient Map<Integer, TopCounters> live;
    private transient Set<Integer> dirty;
    private transient MapState<Integer, LeafReserve> reserves;
    private transient Counter toppedUp;
    private transient Counter accepted;
    private transient Counter overQuota;
    private transient Counter sampledOut;
    private transient volatile long planLagMillis;
    private transient volatile long planSeen;

    public AdaptiveAdmissionFunction(CurateConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        ClusterTree tree = ModelLoader.load(config.modelPath(), config.modelVersion());
        admission = new TopAdmission(tree, config.seed());
        // a run continued under a new model (quota.carryOver) starts from the old run's counts
        carried = CarriedCounts.of(config, tree);
        initial = new TopPlanner(tree, CarryOverLoader.quotas(config, tree, carried.carryOver()), config.seed())
                .plan(carried.seenPerTop(), 0);
        json = new CuratedJson(tree);
        counters = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(COUNTERS, TypeInformation.of(TopCounters.class)));
        live = new HashMap<>();
        dirty = new HashSet<>();
        reserves = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("leaf-reserves", Types.INT, TypeInformation.of(LeafReserve.class)));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        accepted = g.counter("accepted");
        overQuota = g.counter("rejectedOverQuota");
        sampledOut = g.counter("rejectedBySampling");
        toppedUp = g.counter("toppedUp");
        g.gauge("planLagMillis", () -> planLagMillis);
        g.gauge("planSeen", () -> planSeen);
    }

    @Override
    public void processElement(AssignedItem item, ReadOnlyContext ctx, Collector<AdmittedItem> out) throws Exception {
        TopPlan plan = ctx.getBroadcastState(PLAN).get(0);
        TopCounters c = countersOf(ctx.getCurrentKey(), item.top);
        TopPlan p = plan != null ? plan : initial;
        TopAdmission.Decision d = admission.decide(c, item.leaf, item.top, p, Uniform.of(config.seed(), item.id));
        if (d != TopAdmission.Decision.ACCEPTED) {
            reserve(c, item, p);
        }
        dirty.add(ctx.getCurrentKey());
        switch (d) {
            case ACCEPTED -> {
                out.collect(new AdmittedItem(item.top, new CuratedEvent(item.id, json.of(item))));
                accepted.inc();
            }
            case OVER_QUOTA -> overQuota.inc();
            case SAMPLED_OUT -> sampledOut.inc();
        }
    }

    /**
     * Offers a refused item to its leaf's reserve; most are turned away by the two numbers the
     * counters keep (size, worst priority held), without reading the reserve.
     */
    private void reserve(TopCounters c, AssignedItem item, TopPlan plan) throws Exception {
        double priority = LeafReserve.priority(config.seed(), item.id);
        long room = admission.reserveRoomFor(c, item.leaf, item.top, plan, priority);
        if (room < 0) {
            return;
        }
        int pos = admission.position(item.leaf);
        LeafReserve r = reserves.get(pos);
        if (r == null) {
            r = new LeafReserve();
        }
        if (r.offer(priority, item.id, json.of(item), room)) {
            if (r.size() == 0) {
                reserves.remove(pos);
            } else {
                reserves.put(pos, r);
            }
            c.reserveChanged(pos, r);
        }
    }

    /**
     * The top-up of top cluster {@code top} (the current key) at the end of the input
     * ({@link AdaptiveAdmissionOperator}): {@link TopAdmission#topUp} says how many reserved
     * candidates each leaf gives, lowest priorities first; they go to the {@link TargetCap} like
     * any acceptance, in the same transactional sink.
     */
    void topUp(int top, TopPlan plan, Collector<AdmittedItem> out) throws Exception {
        TopCounters c = live.containsKey(top) ? live.get(top) : counters.value();
        if (c == null) {
            return;
        }
        long[] take = admission.topUp(c, top, plan != null ? plan : initial);
        for (int pos = 0; pos < take.length; pos++) {
            if (take[pos] == 0) {
                continue;
            }
            LeafReserve r = reserves.get(pos);
            for (CuratedEvent e : r.take((int) take[pos])) {
                out.collect(new AdmittedItem(top, e));
                toppedUp.inc();
            }
            if (r.size() == 0) {
                reserves.remove(pos);
            } else {
                reserves.put(pos, r);
            }
            c.reserveChanged(pos, r);
        }
        counters.update(c);
    }

    /**
     * The counters of top cluster {@code key}: kept on the heap between checkpoints. A top
     * cluster's counters hold a few arrays of its L leaves, and the heavy top clusters get most
     * items, so reading and writing them through RocksDB on every item would (de)serialise
     * hundreds of kilobytes per item; there are at most as many values as top clusters per task.
     * {@link #writeBack} puts the changed ones into keyed state before every checkpoint barrier,
     * so each checkpoint holds exactly what the heap held, and a restore starts from there.
     */
    private TopCounters countersOf(Integer key, int top) throws Exception {
        TopCounters c = live.get(key);
        if (c == null) {
            c = counters.value();
            if (c == null) {
                // a run continued under a new model (quota.carryOver) starts from the old run's counts
                c = carried.top(top);
            }
            live.put(key, c);
        }
        return c;
    }

    /**
     * Writes the counters changed since the last call into keyed state, selecting each one's key
     * with {@code selectKey} ({@link AdaptiveAdmissionOperator} calls it before every checkpoint
     * barrier and at the end of the input). This function must run inside that operator: Flink's
     * plain keyed broadcast operator would checkpoint without the heap's counters.
     */
    void writeBack(Consumer<Integer> selectKey) throws Exception {
        for (Integer key : dirty) {
            selectKey.accept(key);
            counters.update(live.get(key));
        }
        dirty.clear();
    }

    @Override
    public void processBroadcastElement(TopPlan plan, Context ctx, Collector<AdmittedItem> out) throws Exception {
        ctx.getBroadcastState(PLAN).put(0, plan);
        planLagMillis = Math.max(0, ctx.currentProcessingTime() - plan.madeAtMillis);
        planSeen = plan.seen;
    }
}
