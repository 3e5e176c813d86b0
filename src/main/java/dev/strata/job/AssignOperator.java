package dev.strata.job;

import dev.strata.assign.LeafAssigner;
import dev.strata.assign.LeafAssigners;
import dev.strata.assign.LeafAssignment;
import dev.strata.model.ClusterTree;
import dev.strata.vector.FloatMatrix;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Assigns items to their leaf in batches, so distances go through the blocked kernel rather
 * than one vector at a time. A batch is flushed when full, once its oldest item has waited the
 * configured delay, before every checkpoint barrier (nothing buffered is ever outside a
 * checkpoint) and at end of input. Dead letters leave through a side output.
 *
 * <p>The delay counts from the oldest buffered item, not from whenever a timer happened to be
 * set: under a backlog batches fill long before it expires, and a timer left over from an
 * earlier, already flushed batch must not cut the next one short (small batches are what make
 * the beam descent slow, see docs/assignment.md).
 *
 * <p>Watermarks wait for the batch: one that arrives while items are buffered is held and sent
 * right after them, so no item reaches the quota windows behind a watermark that passed it (an
 * event-time window would close without it). With processing-time windows the items are stamped
 * with the clock when their batch is assigned, and the clock is sent on as the watermark.
 *
 * <p>With {@code assignOverlap} (the default) a flushed batch is assigned on a worker thread of
 * this operator while the task thread goes on reading and decoding the next one, at most one
 * batch in flight; its items are emitted by the task thread, in order, as soon as it is done (the
 * next record, flush or a short timer notices), and always before a checkpoint barrier, the end of
 * input or a watermark that came after them. Assignment is most of a record's CPU in this task
 * (docs/benchmarks.md), so this lets one subtask use a second core when the machine has one to
 * spare, as when partitions limit the source's parallelism; with every core busy it changes little.
 */
public final class AssignOperator extends AbstractStreamOperator<AssignedItem>
        implements OneInputStreamOperator<InputEvent, AssignedItem>, BoundedOneInput, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<InputEvent> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(InputEvent.class));

    private final CurateConfig config;

    private transient ClusterTree tree;
    private transient LeafAssigner assigner;
    private transient int[] topOfLeaf;
    private transient InputEvent[] buffer;
    private transient float[] rows;
    private transient int buffered;
    private transient boolean timerSet;
    /** Processing time at which the oldest buffered item arrived. */
    private transient long oldestMillis;

    /** The batch being assigned on the worker, if any: its items, their timestamps and stamp. */
    private transient ExecutorService worker;

    private transient Future<LeafAssignment> inFlight;
    private transient InputEvent[] flightEvents;
    private transient float[] flightRows;
    private transient long[] flightTimestamps;
    private transient int flightCount;
    private transient long flightStamp;
    private transient long flightStartNanos;
    /** A watermark that arrived after the in-flight batch's items: sent after them. */
    private transient Watermark flightHeld;

    private transient boolean pollSet;

    private transient QuotaWindows windows;
    /** Per buffered item, its record timestamp (event-time windows). */
    private transient long[] timestamps;
    /** A watermark that arrived while items were buffered: sent after them. */
    private transient Watermark held;
    /** The highest watermark sent on (processing-time windows send the clock). */
    private transient long watermarkSent;
    /** The last processing-time stamp, so stamps never go back if the wall clock does. */
    private transient long lastStamp;

    private transient Counter recordsIn;
    private transient Counter assigned;
    private transient Counter invalid;
    private transient Map<String, Counter> invalidByReason;
    private transient Histogram latencyMicros;
    private transient MetricGroup group;

    public AssignOperator(CurateConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        super.open();
        tree = ModelLoader.load(config.modelPath(), config.modelVersion());
        assigner = LeafAssigners.create(tree, config.beam(), config.beamSlack());
        topOfLeaf = tree.topOfLeaves();
        buffer = new InputEvent[config.assignBatch()];
        rows = new float[config.assignBatch() * tree.dim()];
        group = getMetricGroup().addGroup("strata");
        recordsIn = group.counter("recordsIn");
        assigned = group.counter("assigned");
        invalid = group.counter("invalid");
        invalidByReason = new HashMap<>();
        latencyMicros = group.histogram("assignLatencyMicros", new DescriptiveStatisticsHistogram(1000));
        windows = config.windows();
        timestamps = new long[config.assignBatch()];
        flightEvents = new InputEvent[config.assignBatch()];
        flightRows = new float[config.assignBatch() * tree.dim()];
        flightTimestamps = new long[config.assignBatch()];
        if (config.assignOverlap()) {
            String name = "Strata assign worker for "
                    + getRuntimeContext().getTaskInfo().getTaskNameWithSubtasks();
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        watermarkSent = Long.MIN_VALUE;
        lastStamp = Long.MIN_VALUE;
        if (windows != null && windows.time() == WindowTime.PROCESSING) {
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + CLOCK_WATERMARK_MILLIS, this::clockWatermark);
        }
    }

    /** How often processing-time windows send the clock on as the watermark (Flink's default watermark interval). */
    static final long CLOCK_WATERMARK_MILLIS = 200;

    /**
     * Processing-time windows: the clock, less a millisecond, as the watermark. Safe with items
     * buffered: they are stamped when their batch is assigned, at this time or later.
     */
    private void clockWatermark(long now) throws Exception {
        // the in-flight batch was stamped before now: its items go first
        completeInFlight();
        emitWatermark(new Watermark(now - 1));
        getProcessingTimeService().registerTimer(now + CLOCK_WATERMARK_MILLIS, this::clockWatermark);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // processing-time windows keep their own clock; of the source's only the end of input counts
        if (windows != null && windows.time() == WindowTime.PROCESSING && !mark.equals(Watermark.MAX_WATERMARK)) {
            return;
        }
        if (buffered > 0) {
            held = mark;
        } else if (inFlight != null) {
            flightHeld = mark;
        } else {
            emitWatermark(mark);
        }
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        // an input going idle lets the watermark advance without it: the buffered items go first
        if (status.isIdle()) {
            drain();
        }
        super.processWatermarkStatus(status);
    }

    private void emitWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > watermarkSent) {
            watermarkSent = mark.getTimestamp();
            super.processWatermark(mark);
        }
    }

    @Override
    public void processElement(StreamRecord<InputEvent> element) throws Exception {
        InputEvent event = element.getValue();
        recordsIn.inc();
        if (inFlight != null && inFlight.isDone()) {
            completeInFlight();
        }
        if (!event.valid()) {
            invalid.inc();
            invalidByReason
                    .computeIfAbsent(event.reason, r -> group.counter("invalid_" + r))
                    .inc();
            output.collect(DEAD_LETTERS, new StreamRecord<>(event));
            return;
        }
        if (buffered == 0) {
            oldestMillis = getProcessingTimeService().getCurrentProcessingTime();
        }
        System.arraycopy(event.embedding, 0, rows, buffered * tree.dim(), tree.dim());
        timestamps[buffered] = element.hasTimestamp() ? element.getTimestamp() : oldestMillis;
        buffer[buffered++] = event;
        if (buffered == buffer.length) {
            flush();
        } else if (!timerSet) {
            timerSet = true;
            getProcessingTimeService().registerTimer(oldestMillis + config.assignMaxDelayMillis(), this);
        }
    }

    @Override
    public void onProcessingTime(long time) throws Exception {
        timerSet = false;
        if (buffered == 0) {
            return;
        }
        long due = oldestMillis + config.assignMaxDelayMillis();
        if (time >= due) {
            flush();
        } else {
            // the batch this timer was set for was flushed full; wait for the current one's deadline
            timerSet = true;
            getProcessingTimeService().registerTimer(due, this);
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        drain();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() throws Exception {
        drain();
    }

    @Override
    public void finish() throws Exception {
        drain();
        super.finish();
    }

    /** Assigns and emits everything buffered or in flight: nothing is left outside the output. */
    private void drain() throws Exception {
        flush();
        completeInFlight();
    }

    /**
     * Hands the buffered batch to the assigner (the worker, or this thread without overlap),
     * after emitting the batch before it: at most one batch is in flight, so items leave in order.
     */
    private void flush() throws Exception {
        completeInFlight();
        if (buffered == 0) {
            return;
        }
        long stamp = 0;
        if (windows != null && windows.time() == WindowTime.PROCESSING) {
            stamp = Math.max(lastStamp, getProcessingTimeService().getCurrentProcessingTime());
            lastStamp = stamp;
        }
        int n = buffered;
        // the buffers go with the batch; the task fills the other pair meanwhile
        InputEvent[] events = buffer;
        buffer = flightEvents;
        flightEvents = events;
        float[] batchRows = rows;
        rows = flightRows;
        flightRows = batchRows;
        long[] times = timestamps;
        timestamps = flightTimestamps;
        flightTimestamps = times;
        flightCount = n;
        flightStamp = stamp;
        flightHeld = held;
        held = null;
        buffered = 0;
        FloatMatrix batch = new FloatMatrix(
                n == events.length ? batchRows : Arrays.copyOf(batchRows, n * tree.dim()), n, tree.dim());
        flightStartNanos = System.nanoTime();
        if (worker == null) {
            inFlight = CompletableFuture.completedFuture(assigner.assign(batch));
            completeInFlight();
        } else {
            inFlight = worker.submit(() -> assigner.assign(batch));
            pollInFlight();
        }
    }

    /** Until the in-flight batch is emitted, looks every millisecond whether it is done (a quiet input sends no record to notice it). */
    private void pollInFlight() {
        if (!pollSet) {
            pollSet = true;
            getProcessingTimeService()
                    .registerTimer(getProcessingTimeService().getCurrentProcessingTime() + 1, this::onPoll);
        }
    }

    private void onPoll(long time) throws Exception {
        pollSet = false;
        if (inFlight == null) {
            return;
        }
        if (inFlight.isDone()) {
            completeInFlight();
        } else {
            pollInFlight();
        }
    }

    /** Waits for the in-flight batch, if any, and emits its items, then a watermark held behind them. */
    private void completeInFlight() throws Exception {
        if (inFlight == null) {
            return;
        }
        LeafAssignment a;
        try {
            a = inFlight.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } finally {
            inFlight = null;
        }
        int n = flightCount;
        long micros = (System.nanoTime() - flightStartNanos) / 1000;
        for (int i = 0; i < n; i++) {
            InputEvent e = flightEvents[i];
            int leaf = a.leaf()[i];
            long time = windows == null ? 0 : windows.time() == WindowTime.EVENT ? flightTimestamps[i] : flightStamp;
            output.collect(
                    new StreamRecord<>(new AssignedItem(e.id, leaf, topOfLeaf[leaf], a.distanceSq()[i], e.meta, time)));
            flightEvents[i] = null;
        }
        // once per batch: one value per row would fill the 1000-value window with a single batch's figure
        latencyMicros.update(micros / n);
        assigned.inc(n);
        flightCount = 0;
        if (flightHeld != null) {
            Watermark w = flightHeld;
            flightHeld = null;
            emitWatermark(w);
        }
    }

    @Override
    public void close() throws Exception {
        if (worker != null) {
            // a failing task may close with a batch in flight: it is dropped with the task
            worker.shutdownNow();
            worker.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (assigner != null) {
            assigner.close();
        }
        super.close();
    }
}
