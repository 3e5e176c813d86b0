package dev.strata.job;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Counts arrivals per top cluster (and sums their distances to their leaf, for the drift metric)
 * on the assignment's side of the graph and sends them to the
 * {@link QuotaPlanner} every {@code flushEvery} items, so the planner gets a few small records
 * instead of one per item. It holds nothing across a checkpoint: pending counts are sent before
 * every barrier (and at the end of a bounded input), so the planner's checkpointed counts cover
 * exactly the items before the barrier, like the source offsets.
 *
 * <p>With budgets per window it counts per window, and a watermark that closes a window first
 * sends that window's counts: the planner then makes the window's final plan, counting every item
 * of it, before the watermark reaches admission and closes the window there.
 */
public final class ArrivalCounter extends AbstractStreamOperator<TopCounts>
        implements OneInputStreamOperator<AssignedItem, TopCounts>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final int topClusters;
    private final int flushEvery;
    /** Null: one horizon, every item counts in window 0. */
    private final QuotaWindows windows;

    /** Pending counts per window start, oldest first. */
    private transient TreeMap<Long, TopCounts> pending;

    private transient int pendingItems;
    /** The pending counts the last item went to: nearly every item falls in the same window as the one before. */
    private transient TopCounts current;

    public ArrivalCounter(int topClusters, int flushEvery) {
        this(topClusters, flushEvery, null);
    }

    public ArrivalCounter(int topClusters, int flushEvery, QuotaWindows windows) {
        this.topClusters = topClusters;
        this.flushEvery = flushEvery;
        this.windows = windows;
    }

    /**
     * Flush size for a horizon: 0.1% of V, so the planner is never more than that behind per
     * counter, between 16 (records stay few on short streams) and 1024 (plans stay fresh on long ones).
     */
    public static int flushEvery(long volume) {
        return (int) Math.max(16, Math.min(1024, volume / 1000));
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = new TreeMap<>();
    }

    @Override
    public void processElement(StreamRecord<AssignedItem> element) {
        AssignedItem item = element.getValue();
        long window = windows == null ? 0 : windows.start(item.timestamp);
        TopCounts c = current;
        if (c == null || c.window != window) {
            c = pending.computeIfAbsent(window, w -> {
                TopCounts t = new TopCounts(new long[topClusters]);
                t.window = w;
                return t;
            });
            current = c;
        }
        c.counts[item.top]++;
        c.distanceSqSum += item.distanceSq;
        c.earliest = Math.min(c.earliest, item.timestamp);
        c.latest = Math.max(c.latest, item.timestamp);
        if (++pendingItems >= flushEvery) {
            flush(Long.MAX_VALUE);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (windows != null) {
            // the windows this watermark closes: their last counts go before it
            flush(mark.getTimestamp());
        }
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(Long.MAX_VALUE);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flush(Long.MAX_VALUE);
    }

    /** Sends the pending counts of every window whose last timestamp is at most {@code through}. */
    private void flush(long through) {
        Iterator<Map.Entry<Long, TopCounts>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, TopCounts> e = it.next();
            if (through != Long.MAX_VALUE && (windows == null || windows.lastTimestamp(e.getKey()) > through)) {
                break;
            }
            TopCounts c = e.getValue();
            if (windows == null) {
                // one horizon: the record it always was
                c = new TopCounts(c.counts, c.distanceSqSum);
            }
            output.collect(new StreamRecord<>(c));
            it.remove();
            if (e.getValue() == current) {
                current = null;
            }
        }
        pendingItems = 0;
        for (TopCounts c : pending.values()) {
            for (long n : c.counts) {
                pendingItems += (int) n;
            }
        }
    }
}
