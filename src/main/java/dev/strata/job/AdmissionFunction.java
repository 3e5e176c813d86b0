package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.StreamQuotas;
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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Admission mode, keyed by top cluster: every item is accepted or rejected on arrival and never
 * revoked. Within a leaf the decision is selection sampling (Knuth's algorithm S): accept with
 * probability (quota - accepted) / (expected - seen), so acceptances spread over the horizon and
 * the accepted items are a uniform sample of the leaf's stream; if the leaf receives exactly its
 * expected count it ends with exactly its quota. The quota is a hard cap: the counters live in
 * RocksDB state and are restored with the Kafka offsets, so no failure lets a leaf exceed it.
 */
public final class AdmissionFunction extends KeyedProcessFunction<Integer, AssignedItem, CuratedEvent> {
    private static final long serialVersionUID = 1L;

    /**
     * Changes to what each top cluster has selected, for the balance monitor: +1 per acceptance,
     * and in exact mode -1 per eviction; every selection operator writes to it.
     */
    public static final OutputTag<TopDelta> SELECTION_CHANGES =
            new OutputTag<>("selection-changes", TypeInformation.of(TopDelta.class));

    private final CurateConfig config;

    private transient StreamQuotas quotas;
    private transient FixedAdmission admission;
    private transient CarriedCounts carried;
    private transient CuratedJson json;
    private transient MapState<Integer, LeafCounter> leaves;
    private transient ValueState<Long> topAccepted;
    private transient Counter accepted;
    private transient Counter overQuota;
    private transient Counter sampledOut;
    private transient volatile long leavesAtQuota;
    /** Leaves this subtask has seen at quota; rebuilt after a restore as full leaves receive items. */
    private transient java.util.BitSet atQuota;

    public AdmissionFunction(CurateConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        ClusterTree tree = ModelLoader.load(config.modelPath(), config.modelVersion());
        // a run continued under a new model (quota.carryOver) starts from the old run's counts
        carried = CarriedCounts.of(config, tree);
        quotas = CarryOverLoader.quotas(config, tree, carried.carryOver());
        admission = new FixedAdmission(quotas);
        json = new CuratedJson(tree);
        leaves = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("leaf-counters", Types.INT, TypeInformation.of(LeafCounter.class)));
        topAccepted = getRuntimeContext().getState(new ValueStateDescriptor<>("top-accepted", Types.LONG));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        accepted = g.counter("accepted");
        overQuota = g.counter("rejectedOverQuota");
        sampledOut = g.counter("rejectedBySampling");
        atQuota = new java.util.BitSet();
        g.gauge("leavesAtQuota", () -> leavesAtQuota);
    }

    @Override
    public void processElement(AssignedItem item, Context ctx, Collector<CuratedEvent> out) throws Exception {
        LeafCounter c = leaves.get(item.leaf);
        if (c == null) {
            c = carried.leaf(item.leaf);
        }
        long q = quotas.leafQuota(item.leaf);
        long top = topAccepted.value() == null ? carried.keptInTop(item.top) : topAccepted.value();
        switch (admission.decide(c, top, item.leaf, item.top, Uniform.of(config.seed(), item.id))) {
            case ACCEPTED -> {
                topAccepted.update(top + 1);
                out.collect(new CuratedEvent(item.id, json.of(item)));
                ctx.output(SELECTION_CHANGES, new TopDelta(item.top, 1));
                accepted.inc();
                if (c.accepted == q) {
                    markAtQuota(item.leaf);
                }
            }
            case OVER_QUOTA -> {
                overQuota.inc();
                if (c.accepted >= q) {
                    markAtQuota(item.leaf);
                }
            }
            case SAMPLED_OUT -> sampledOut.inc();
        }
        leaves.put(item.leaf, c);
    }

    private void markAtQuota(int leaf) {
        if (!atQuota.get(leaf)) {
            atQuota.set(leaf);
            leavesAtQuota++;
        }
    }
}
