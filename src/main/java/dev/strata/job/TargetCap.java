package dev.strata.job;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The hard cap on T under adaptive admission (one key, parallelism 1): top-level budgets move
 * as the plan follows the stream, so a top cluster may have accepted under an older, larger
 * budget, and the sum of what the top clusters accepted could pass T. Every accepted item passes
 * here, and the count of items let through is keyed state in the same checkpoint as the sinks'
 * transactions, so no more than T ever reach the curated topic. It only refuses once T items
 * are out, so it never costs delivery. Only accepted items come here (about T/V of the stream).
 */
public final class TargetCap extends KeyedProcessFunction<Integer, AdmittedItem, CuratedEvent> {
    private static final long serialVersionUID = 1L;

    private final long target;
    /** Items a run continued under a new model had already curated (quota.carryOver); 0 otherwise. */
    private final long carried;

    private transient ValueState<Long> emitted;
    private transient Counter refused;

    public TargetCap(long target) {
        this(target, 0);
    }

    /** The cap of a run that continues one which already curated {@code carried} items. */
    public TargetCap(long target, long carried) {
        this.target = target;
        this.carried = carried;
    }

    @Override
    public void open(OpenContext ctx) {
        emitted = getRuntimeContext().getState(new ValueStateDescriptor<>("emitted", Types.LONG));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        refused = g.counter("rejectedAtTarget");
    }

    @Override
    public void processElement(AdmittedItem item, Context ctx, Collector<CuratedEvent> out) throws Exception {
        long n = emitted.value() == null ? carried : emitted.value();
        if (n >= target) {
            refused.inc();
            return;
        }
        emitted.update(n + 1);
        out.collect(item.event);
        ctx.output(AdmissionFunction.SELECTION_CHANGES, new TopDelta(item.top, 1));
    }
}
