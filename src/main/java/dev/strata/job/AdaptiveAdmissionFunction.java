package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.Uniform;
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
 * items go on to the {@link TargetCap}. The counters are keyed state and the plan is broadcast
 * state, both in every checkpoint. Before the first plan arrives the task plans as the planner
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
    private transient TopPlan initial;
    private transient CuratedJson json;
    private transient ValueState<TopCounters> counters;
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
        initial = new TopPlanner(tree, config.quotas(tree), config.seed()).initial();
        json = new CuratedJson(tree);
        counters = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(COUNTERS, TypeInformation.of(TopCounters.class)));
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
        TopCounters c = counters.value();
        if (c == null) {
            c = admission.counters(item.top);
        }
        TopPlan p = plan != null ? plan : initial;
        TopAdmission.Decision d = admission.decide(c, item.leaf, item.top, p, Uniform.of(config.seed(), item.id));
        if (d != TopAdmission.Decision.ACCEPTED) {
            reserve(c, item, p);
        }
        counters.update(c);
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
        TopCounters c = counters.value();
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

    @Override
    public void processBroadcastElement(TopPlan plan, Context ctx, Collector<AdmittedItem> out) throws Exception {
        ctx.getBroadcastState(PLAN).put(0, plan);
        planLagMillis = Math.max(0, ctx.currentProcessingTime() - plan.madeAtMillis);
        planSeen = plan.seen;
    }
}
