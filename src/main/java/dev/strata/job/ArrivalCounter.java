package dev.strata.job;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Counts arrivals per top cluster (and sums their distances to their leaf, for the drift metric)
 * on the assignment's side of the graph and sends them to the
 * {@link QuotaPlanner} every {@code flushEvery} items, so the planner gets a few small records
 * instead of one per item. It holds nothing across a checkpoint: pending counts are sent before
 * every barrier (and at the end of a bounded input), so the planner's checkpointed counts cover
 * exactly the items before the barrier, like the source offsets.
 */
public final class ArrivalCounter extends AbstractStreamOperator<TopCounts>
        implements OneInputStreamOperator<AssignedItem, TopCounts>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final int topClusters;
    private final int flushEvery;

    private transient long[] pending;
    private transient int pendingItems;
    private transient double pendingDistance;

    public ArrivalCounter(int topClusters, int flushEvery) {
        this.topClusters = topClusters;
        this.flushEvery = flushEvery;
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
        pending = new long[topClusters];
    }

    @Override
    public void processElement(StreamRecord<AssignedItem> element) {
        pending[element.getValue().top]++;
        pendingDistance += element.getValue().distanceSq;
        if (++pendingItems >= flushEvery) {
            flush();
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flush();
    }

    private void flush() {
        if (pendingItems == 0) {
            return;
        }
        output.collect(new StreamRecord<>(new TopCounts(pending, pendingDistance)));
        pending = new long[topClusters];
        pendingItems = 0;
        pendingDistance = 0;
    }
}
