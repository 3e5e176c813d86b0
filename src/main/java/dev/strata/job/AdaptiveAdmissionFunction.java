package dev.strata.job;

import dev.strata.model.ClusterTree;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
 * items go on to the {@link TargetCap}. The counters and reserves are keyed state
 * ({@link SubtreeAdmission}, the counters held on the heap between checkpoints) and the plan is
 * broadcast state, all in every checkpoint. Before the first plan arrives the task plans as the
 * planner would with nothing seen: the pool's shares over V.
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
    static final String COUNTERS = SubtreeAdmission.COUNTERS;

    private final CurateConfig config;

    private transient SubtreeAdmission<Integer> subtree;
    private transient TopPlan initial;
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
        // a run continued under a new model (quota.carryOver) starts from the old run's counts
        CarriedCounts carried = CarriedCounts.of(config, tree);
        initial = carried.planner(config, tree).plan(carried.seenPerTop(), 0);
        subtree = new SubtreeAdmission<>(
                getRuntimeContext(),
                new TopAdmission(tree, config.seed()),
                carried::top,
                new CuratedJson(tree),
                config.seed());
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
        TopAdmission.Decision d = subtree.admit(
                ctx.getCurrentKey(),
                item,
                plan != null ? plan : initial,
                e -> out.collect(new AdmittedItem(item.top, e)));
        switch (d) {
            case ACCEPTED -> accepted.inc();
            case OVER_QUOTA -> overQuota.inc();
            case SAMPLED_OUT -> sampledOut.inc();
        }
    }

    /**
     * The top-up of top cluster {@code top} (the current key) at the end of the input
     * ({@link AdaptiveAdmissionOperator}): {@link TopAdmission#topUp} says how many reserved
     * candidates each leaf gives, lowest priorities first; they go to the {@link TargetCap} like
     * any acceptance, in the same transactional sink.
     */
    void topUp(int top, TopPlan plan, Collector<AdmittedItem> out) throws Exception {
        toppedUp.inc(
                subtree.topUp(top, top, plan != null ? plan : initial, e -> out.collect(new AdmittedItem(top, e))));
    }

    /**
     * Writes the counters changed since the last call into keyed state ({@link SubtreeAdmission#writeBack});
     * {@link AdaptiveAdmissionOperator} calls it before every checkpoint barrier and at the end of the input.
     */
    void writeBack(Consumer<Integer> selectKey) throws Exception {
        subtree.writeBack(selectKey);
    }

    @Override
    public void processBroadcastElement(TopPlan plan, Context ctx, Collector<AdmittedItem> out) throws Exception {
        ctx.getBroadcastState(PLAN).put(0, plan);
        planLagMillis = Math.max(0, ctx.currentProcessingTime() - plan.madeAtMillis);
        planSeen = plan.seen;
    }
}
