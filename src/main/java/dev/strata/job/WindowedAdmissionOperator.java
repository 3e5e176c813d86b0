package dev.strata.job;

import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/**
 * Flink's operator for a keyed broadcast function, plus the one thing the function cannot do
 * itself: write the counters it holds on the heap into keyed state before every checkpoint
 * barrier ({@link SubtreeAdmission#writeBack}), under each one's key.
 */
final class WindowedAdmissionOperator extends CoBroadcastWithKeyedOperator<Long, AssignedItem, TopPlan, AdmittedItem> {
    private static final long serialVersionUID = 1L;

    private final WindowedAdmissionFunction function;

    WindowedAdmissionOperator(WindowedAdmissionFunction function) {
        super(function, List.of(WindowedAdmissionFunction.PLANS));
        this.function = function;
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        function.writeBack(this::setCurrentKey);
        super.prepareSnapshotPreBarrier(checkpointId);
    }
}
