package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.LeafStrategy;
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

/**
 * Exact mode, keyed by top cluster: an upsert changelog of the selection {@link ExactSubtree}
 * keeps for each top cluster, with that cluster's per-leaf counts and candidate lists in
 * RocksDB keyed state. The budget of a top cluster is fixed by the plan (pool sizes scaled to
 * V); inside it the selection is the batch selection of that budget over the items seen so far
 * (lowest seeded priority for "random", nearest for "closest"), and once the expected volume
 * has arrived, exactly what the batch selection picks.
 */
public final class ExactSelectionFunction extends KeyedProcessFunction<Integer, AssignedItem, CuratedEvent> {
    private static final long serialVersionUID = 1L;

    private final CurateConfig config;

    private transient StreamQuotas quotas;
    private transient CuratedJson json;
    private transient ExactSubtree subtree;
    /** The keyed state of the current key, as the subtree logic sees it. */
    private transient ExactSubtree.Store state;

    private transient ValueState<long[]> counts;
    private transient ValueState<long[]> lastQuotas;
    private transient MapState<Integer, Candidate[]> selections;
    /** id -> leaf of every candidate of the current top cluster, so a re-sent id is found whatever its leaf. */
    private transient MapState<String, Integer> candidateIds;

    private transient Counter accepted;
    private transient Counter evicted;
    private transient Counter rejected;
    private transient Counter duplicates;

    public ExactSelectionFunction(CurateConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext ctx) {
        ClusterTree tree = ModelLoader.load(config.modelPath(), config.modelVersion());
        quotas = config.quotas(tree);
        json = new CuratedJson(tree);
        subtree = new ExactSubtree(quotas.shape(), config.seed());
        state = keyedState();
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("leaf-counts", long[].class));
        lastQuotas = getRuntimeContext().getState(new ValueStateDescriptor<>("leaf-quotas", long[].class));
        selections = getRuntimeContext()
                .getMapState(
                        new MapStateDescriptor<>("leaf-selections", Types.INT, TypeInformation.of(Candidate[].class)));
        candidateIds =
                getRuntimeContext().getMapState(new MapStateDescriptor<>("candidate-ids", Types.STRING, Types.INT));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        accepted = g.counter("accepted");
        evicted = g.counter("evicted");
        rejected = g.counter("rejectedOverQuota");
        duplicates = g.counter("duplicates");
    }

    @Override
    public void processElement(AssignedItem item, Context ctx, Collector<CuratedEvent> out) throws Exception {
        int top = item.top;
        ExactSubtree.Changes changes = new ExactSubtree.Changes() {
            @Override
            public void upsert(Candidate c) {
                out.collect(new CuratedEvent(c.id, c.json));
                ctx.output(AdmissionFunction.SELECTION_CHANGES, new TopDelta(top, 1));
                accepted.inc();
            }

            @Override
            public void tombstone(Candidate c) {
                out.collect(new CuratedEvent(c.id, null));
                ctx.output(AdmissionFunction.SELECTION_CHANGES, new TopDelta(top, -1));
                evicted.inc();
            }
        };
        double score = config.strategy() == LeafStrategy.CLOSEST ? item.distanceSq : Uniform.of(config.seed(), item.id);
        ExactSubtree.Outcome outcome = subtree.offer(
                top, quotas.topQuota(top), item.leaf, item.id, score, () -> json.of(item), state, changes);
        if (outcome == ExactSubtree.Outcome.DUPLICATE) {
            duplicates.inc();
        } else if (outcome == ExactSubtree.Outcome.NOT_SELECTED) {
            rejected.inc();
        }
    }

    private ExactSubtree.Store keyedState() {
        return new ExactSubtree.Store() {
            @Override
            public long[] counts() throws Exception {
                return counts.value();
            }

            @Override
            public long[] lastQuotas() throws Exception {
                return lastQuotas.value();
            }

            @Override
            public Candidate[] candidates(int leaf) throws Exception {
                return selections.get(leaf);
            }

            @Override
            public void putCandidates(int leaf, Candidate[] candidates) throws Exception {
                selections.put(leaf, candidates);
            }

            @Override
            public void save(long[] c, long[] last) throws Exception {
                counts.update(c);
                lastQuotas.update(last);
            }

            @Override
            public Integer candidateLeaf(String id) throws Exception {
                return candidateIds.get(id);
            }

            @Override
            public void indexCandidate(String id, int leaf) throws Exception {
                candidateIds.put(id, leaf);
            }

            @Override
            public void unindexCandidate(String id) throws Exception {
                candidateIds.remove(id);
            }
        };
    }
}
