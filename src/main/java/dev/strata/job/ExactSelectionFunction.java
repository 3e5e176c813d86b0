package dev.strata.job;

import dev.strata.model.ClusterTree;
import dev.strata.sampling.LeafStrategy;
import dev.strata.sampling.QuotaPlan;
import dev.strata.sampling.TreeShape;
import java.util.Arrays;
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
 * Exact mode, keyed by top cluster: the output is an upsert changelog whose compacted topic
 * always holds what the batch selection would pick from the items seen so far. The top
 * cluster's budget is fixed by the plan (pool sizes scaled to V); inside it, leaf quotas are
 * water-filled over the live leaf counts after every item, and each leaf keeps its best
 * candidates (lowest seeded priority for "random", nearest for "closest").
 *
 * <p>State stays bounded: once the subtree holds more items than its budget the water level
 * only falls, so a leaf can regain at most one unit per tree level; each leaf keeps its quota
 * plus the tree depth in candidates and forgets the rest.
 */
public final class ExactSelectionFunction extends KeyedProcessFunction<Integer, AssignedItem, CuratedEvent> {
    private static final long serialVersionUID = 1L;

    private final CurateConfig config;

    private transient StreamQuotas quotas;
    private transient TreeShape shape;
    private transient CuratedJson json;
    private transient int[] positionInSubtree;
    private transient long[] leafCounts;
    private transient long[][] sizeScratch;
    private transient long[][] quotaScratch;
    private transient ValueState<long[]> counts;
    private transient ValueState<long[]> lastQuotas;
    private transient MapState<Integer, Candidate[]> selections;
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
        quotas = StreamQuotas.of(tree, config);
        shape = quotas.shape();
        json = new CuratedJson(tree);
        positionInSubtree = new int[tree.leaves().clusters()];
        for (int top = 0; top < tree.top().clusters(); top++) {
            int[] leaves = shape.leavesUnder(top);
            for (int i = 0; i < leaves.length; i++) {
                positionInSubtree[leaves[i]] = i;
            }
        }
        leafCounts = new long[tree.leaves().clusters()];
        sizeScratch = new long[shape.depth()][];
        quotaScratch = new long[shape.depth()][];
        for (int t = 0; t < shape.depth(); t++) {
            sizeScratch[t] = new long[shape.clusters(t + 1)];
            quotaScratch[t] = new long[shape.clusters(t + 1)];
        }
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("leaf-counts", long[].class));
        lastQuotas = getRuntimeContext().getState(new ValueStateDescriptor<>("leaf-quotas", long[].class));
        selections = getRuntimeContext().getMapState(new MapStateDescriptor<>("leaf-selections", Types.INT,
                TypeInformation.of(Candidate[].class)));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        accepted = g.counter("accepted");
        evicted = g.counter("evicted");
        rejected = g.counter("rejectedOverQuota");
        duplicates = g.counter("duplicates");
    }

    @Override
    public void processElement(AssignedItem item, Context ctx, Collector<CuratedEvent> out) throws Exception {
        Candidate[] current = selections.get(item.leaf);
        if (current != null) {
            for (Candidate k : current) {
                if (k.id.equals(item.id)) {
                    // a re-sent item (producer retry, crawler revisit) is one item: counting it twice
                    // would inflate the leaf, and two live copies share one key on the topic
                    duplicates.inc();
                    return;
                }
            }
        }
        int top = item.top;
        int[] leaves = shape.leavesUnder(top);
        long[] c = counts.value();
        long[] last = lastQuotas.value();
        if (c == null) {
            c = new long[leaves.length];
            last = new long[leaves.length];
        }
        c[positionInSubtree[item.leaf]]++;
        for (int i = 0; i < leaves.length; i++) {
            leafCounts[leaves[i]] = c[i];
        }
        QuotaPlan.subtreeLeafQuotas(shape, top, quotas.topQuota(top), leafCounts, config.seed(), sizeScratch, quotaScratch);
        long[] q = quotaScratch[0];

        Candidate incoming = new Candidate(item.id, score(item), null);
        Candidate[] own = insert(current, incoming, q[item.leaf] + shape.depth());
        boolean kept = false;
        for (Candidate k : own) {
            kept |= k == incoming;
        }
        if (kept) {
            incoming.json = json.of(item);
        }
        for (int i = 0; i < leaves.length; i++) {
            int leaf = leaves[i];
            if (leaf == item.leaf) {
                selections.put(leaf, reconcile(own, q[leaf], top, ctx, out));
            } else if (q[leaf] != last[i]) {
                Candidate[] sel = selections.get(leaf);
                if (sel != null) {
                    selections.put(leaf, reconcile(sel, q[leaf], top, ctx, out));
                }
            }
            last[i] = q[leaf];
        }
        if (!incoming.emitted) {
            rejected.inc();
        }
        counts.update(c);
        lastQuotas.update(last);
    }

    private double score(AssignedItem item) {
        return config.strategy() == LeafStrategy.CLOSEST ? item.distanceSq : Uniform.of(config.seed(), item.id);
    }

    /** The candidates with {@code incoming} in rank order, cut to {@code keep}. */
    private static Candidate[] insert(Candidate[] current, Candidate incoming, long keep) {
        Candidate[] base = current == null ? new Candidate[0] : current;
        Candidate[] all = Arrays.copyOf(base, base.length + 1);
        int pos = base.length;
        while (pos > 0 && Candidate.compare(incoming, all[pos - 1]) < 0) {
            all[pos] = all[pos - 1];
            pos--;
        }
        all[pos] = incoming;
        if (all.length > keep) {
            // a dropped candidate ranks below the quota; if it was live, reconcile() must still see it
            int cut = (int) keep;
            boolean liveDropped = false;
            for (int i = cut; i < all.length; i++) {
                liveDropped |= all[i].emitted;
            }
            if (!liveDropped) {
                return Arrays.copyOf(all, cut);
            }
        }
        return all;
    }

    /** Makes exactly the first q candidates live: upserts for newcomers, tombstones for leavers. */
    private Candidate[] reconcile(Candidate[] sel, long q, int top, Context ctx, Collector<CuratedEvent> out) {
        for (int i = 0; i < sel.length; i++) {
            boolean want = i < q;
            if (want && !sel[i].emitted) {
                sel[i].emitted = true;
                out.collect(new CuratedEvent(sel[i].id, sel[i].json));
                ctx.output(AdmissionFunction.ACCEPTED, new TopDelta(top, 1));
                accepted.inc();
            } else if (!want && sel[i].emitted) {
                sel[i].emitted = false;
                out.collect(new CuratedEvent(sel[i].id, null));
                ctx.output(AdmissionFunction.ACCEPTED, new TopDelta(top, -1));
                evicted.inc();
            }
        }
        int keep = (int) Math.min(sel.length, q + shape.depth());
        return keep == sel.length ? sel : Arrays.copyOf(sel, keep);
    }
}
