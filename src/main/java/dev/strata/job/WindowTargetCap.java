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
 * The {@link TargetCap} of each window (keyed by window start, parallelism 1): at most T items of
 * a window reach the curated topic. A window's count is dropped when the watermark passes its
 * end; the window's top-ups, sent by admission as the same watermark reached it, come before. A
 * job that continues a run under a new model counts the carried window from what the old run
 * kept in it, so both runs together deliver at most T there.
 */
public final class WindowTargetCap extends KeyedProcessFunction<Long, AdmittedItem, CuratedEvent> {
    private static final long serialVersionUID = 1L;

    private final long target;
    private final QuotaWindows windows;
    /** The window a run continued under a new model carries (quota.carryOver), and what the old run kept in it. */
    private final long carriedWindow;

    private final long carriedKept;

    private transient ValueState<Long> emitted;
    private transient Counter refused;
    private transient Counter closed;
    private transient volatile long windowStart;
    private transient volatile long windowEmitted;

    public WindowTargetCap(long target, QuotaWindows windows) {
        this(target, windows, Long.MIN_VALUE, 0);
    }

    /** The cap of a run that continues one which had curated {@code carriedKept} items of the window {@code carriedWindow}. */
    public WindowTargetCap(long target, QuotaWindows windows, long carriedWindow, long carriedKept) {
        this.target = target;
        this.windows = windows;
        this.carriedWindow = carriedWindow;
        this.carriedKept = carriedKept;
    }

    @Override
    public void open(OpenContext ctx) {
        emitted = getRuntimeContext().getState(new ValueStateDescriptor<>("emitted", Types.LONG));
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("strata");
        refused = g.counter("rejectedAtTarget");
        closed = g.counter("windowsClosed");
        g.gauge("windowStart", () -> windowStart);
        g.gauge("windowEmitted", () -> windowEmitted);
    }

    @Override
    public void processElement(AdmittedItem item, Context ctx, Collector<CuratedEvent> out) throws Exception {
        Long before = emitted.value();
        if (before == null) {
            ctx.timerService().registerEventTimeTimer(windows.lastTimestamp(item.window));
        }
        long n = before != null ? before : item.window == carriedWindow ? carriedKept : 0;
        if (n >= target) {
            refused.inc();
            return;
        }
        emitted.update(n + 1);
        out.collect(item.event);
        ctx.output(AdmissionFunction.SELECTION_CHANGES, new TopDelta(item.top, 1));
        if (item.window >= windowStart) {
            windowStart = item.window;
            windowEmitted = n + 1;
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CuratedEvent> out) {
        emitted.clear();
        closed.inc();
    }
}
