package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.assign.LeafAssigner;
import dev.strata.assign.LeafAssigners;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assignment operator in Flink's test harness, on processing time the test controls. */
class AssignOperatorTest {
    private static final int BATCH = 8;
    private static final long DELAY = 50;

    @TempDir
    static Path dir;

    private static JobFixture fx;

    @BeforeAll
    static void model() {
        fx = new JobFixture(dir, 400, 12, 31);
    }

    private static OneInputStreamOperatorTestHarness<InputEvent, AssignedItem> harness(int beam) throws Exception {
        CurateSpec spec = CurateSpec.of(Map.ofEntries(
                Map.entry("kafka.bootstrapServers", "127.0.0.1:1"),
                Map.entry("kafka.inputTopic", "in"),
                Map.entry("kafka.outputTopic", "out"),
                Map.entry("kafka.deadLetterTopic", "dlq"),
                Map.entry("model", fx.modelPath.toString()),
                Map.entry("quota.target", 10),
                Map.entry("quota.expectedVolume", 400),
                Map.entry("beam", beam),
                Map.entry("assignBatch", BATCH),
                Map.entry("assignMaxDelayMs", DELAY),
                // on the task thread: these tests read a flushed batch right after the flush
                Map.entry("assignOverlap", false)));
        var h = new OneInputStreamOperatorTestHarness<>(
                new AssignOperator(CurateConfig.of(spec).withModel(fx.tree.version(), fx.dim)));
        h.setup();
        h.open();
        return h;
    }

    private static void send(OneInputStreamOperatorTestHarness<InputEvent, AssignedItem> h, int row) throws Exception {
        InputEvent e = new InputEvent();
        e.id = Integer.toString(row);
        e.embedding = fx.data.points().row(row);
        e.meta = "{}";
        h.processElement(new StreamRecord<>(e));
    }

    private static List<AssignedItem> out(OneInputStreamOperatorTestHarness<InputEvent, AssignedItem> h) {
        return h.extractOutputValues();
    }

    @Test
    void aTimerLeftFromAFullBatchDoesNotCutTheNextBatchShort() throws Exception {
        try (var h = harness(2)) {
            h.setProcessingTime(0);
            for (int r = 0; r < BATCH; r++) {
                send(h, r); // the first row sets a timer for t = 50; the eighth flushes the full batch
            }
            assertEquals(BATCH, out(h).size());
            h.setProcessingTime(30);
            send(h, BATCH); // waits from t = 30, so until t = 80
            h.setProcessingTime(50);
            assertEquals(BATCH, out(h).size(), "flushed by the timer of the earlier batch after 20 ms, not 50");
            h.setProcessingTime(79);
            assertEquals(BATCH, out(h).size());
            h.setProcessingTime(80);
            assertEquals(BATCH + 1, out(h).size(), "flushed once its oldest row has waited the delay");
        }
    }

    @Test
    void everyRowGetsTheLeafOfTheAssignerWhateverBatchItTravelledIn() throws Exception {
        int n = 3 * BATCH + 5;
        try (var h = harness(2);
                LeafAssigner assigner = LeafAssigners.create(fx.tree, 2)) {
            h.setProcessingTime(0);
            for (int r = 0; r < n; r++) {
                send(h, r);
            }
            h.prepareSnapshotPreBarrier(1); // the 5 buffered rows leave before the barrier
            List<AssignedItem> got = out(h);
            assertEquals(
                    List.of(IntStream.range(0, n).mapToObj(Integer::toString).toArray()),
                    got.stream().map(i -> i.id).collect(Collectors.toList()));
            float[] rows = new float[n * fx.dim];
            System.arraycopy(fx.data.points().data(), 0, rows, 0, rows.length);
            int[] want = assigner.assign(new FloatMatrix(rows, n, fx.dim)).leaf();
            assertArrayEquals(want, got.stream().mapToInt(i -> i.leaf).toArray());
            int[] topOf = fx.tree.topOfLeaves();
            for (AssignedItem i : got) {
                assertEquals(topOf[i.leaf], i.top);
            }
        }
    }
}
