package dev.strata.job;

import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Flink's operator for a keyed broadcast function, plus the one thing a function cannot see: the
 * end of both inputs. When the items and the plans have both ended (a bounded source, or a stop
 * with {@code --drain}), every top cluster's reserve is drained into the top-up
 * ({@link AdaptiveAdmissionFunction#topUp}) under the last plan, which then counts every item:
 * the {@link ArrivalCounter}s flush at the end of their input, before theirs ends.
 *
 * <p>Why not a timer at the final watermark: the single horizon's source sends no watermarks,
 * and the end of input comes after the last item on each channel. (Budgets per window close on
 * the watermark, which the assignment holds behind its batch: {@link WindowedAdmissionFunction}.)
 */
final class AdaptiveAdmissionOperator extends CoBroadcastWithKeyedOperator<Integer, AssignedItem, TopPlan, AdmittedItem>
        implements BoundedMultiInput {
    private static final long serialVersionUID = 1L;

    private final AdaptiveAdmissionFunction function;
    private transient int ended;

    AdaptiveAdmissionOperator(AdaptiveAdmissionFunction function) {
        super(function, List.of(AdaptiveAdmissionFunction.PLAN));
        this.function = function;
    }

    /** The function keeps its counters on the heap; they enter keyed state before every barrier. */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        function.writeBack(this::setCurrentKey);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput(int inputId) throws Exception {
        ended |= 1 << inputId;
        if (ended != 0b110) {
            return;
        }
        // the keys to top up are those with counters in keyed state: the heap's go there first
        function.writeBack(this::setCurrentKey);
        TopPlan plan = getOperatorStateBackend()
                .getBroadcastState(AdaptiveAdmissionFunction.PLAN)
                .get(0);
        List<Integer> keys;
        KeyedStateBackend<Integer> backend = getKeyedStateBackend();
        try (Stream<Integer> s = backend.getKeys(AdaptiveAdmissionFunction.COUNTERS, VoidNamespace.INSTANCE)) {
            keys = s.sorted().toList();
        }
        TimestampedCollector<AdmittedItem> out = new TimestampedCollector<>(output);
        out.eraseTimestamp();
        for (Integer top : keys) {
            setCurrentKey(top);
            function.topUp(top, plan, out);
        }
    }
}
