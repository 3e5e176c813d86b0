package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.sampling.LeafStrategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assignment operator in Flink's test harness. It holds items in a batch between records,
 * which is where a checkpoint can lose them: anything still buffered when the barrier passes is
 * behind the checkpoint's source offsets but not in any downstream state, so a restore from that
 * checkpoint never sees it again.
 */
class AssignOperatorHarnessTest {
    private static final int N = 300;

    @TempDir
    static Path dir;

    static JobFixture fx;
    static CurateConfig cfg;

    @BeforeAll
    static void model() {
        fx = new JobFixture(dir, N, 8, 13);
        CurateConfig base =
                fx.config("unused:9092", "in", "out", "in.dlq", EmitMode.ADMISSION, LeafStrategy.RANDOM, 50, N, true);
        // batches of 64, so the fixture's rows make several batches and a partial one
        cfg = CurateConfig.of(base.spec().with(java.util.Map.of("assignBatch", 64)))
                .withModel(base.modelVersion(), base.modelDim());
    }

    /** The job's default: batches assigned on the operator's worker while the next one fills. */
    private static OneInputStreamOperatorTestHarness<InputEvent, AssignedItem> harness(HarnessMetrics metrics)
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new AssignOperator(cfg), metrics.environment());
    }

    /**
     * Assigned on the task thread: a flushed batch is out at once, so tests of when a batch
     * flushes can read the output right after the flush.
     */
    private static CurateConfig oneThread(CurateConfig c) {
        return CurateConfig.of(c.spec().with(Map.of("assignOverlap", false))).withModel(c.modelVersion(), c.modelDim());
    }

    private static InputEvent item(int row) {
        InputEvent e = new InputEvent();
        e.id = Integer.toString(row);
        e.embedding = fx.data.points().row(row);
        e.meta = "{\"row\":" + row + "}";
        return e;
    }

    private static InputEvent deadLetter(String reason, int n) {
        InputEvent e = new InputEvent();
        e.reason = reason;
        e.detail = "bad " + n;
        e.sourceTopic = "in";
        e.sourceOffset = n;
        e.key = ("bad-" + n).getBytes(StandardCharsets.UTF_8);
        e.value = new byte[] {1, 2, (byte) n};
        e.headerNames = new String[] {"crawler"};
        e.headerValues = new byte[][] {"c7".getBytes(StandardCharsets.UTF_8)};
        return e;
    }

    private static void feed(OneInputStreamOperatorTestHarness<InputEvent, AssignedItem> h, int from, int to)
            throws Exception {
        for (int row = from; row < to; row++) {
            h.processElement(item(row), row);
        }
    }

    /** Row id to leaf, of everything the operator emitted so far, failing on an item emitted twice. */
    private static Map<Integer, Integer> emitted(OneInputStreamOperatorTestHarness<InputEvent, AssignedItem> h) {
        Map<Integer, Integer> leafOf = new HashMap<>();
        for (AssignedItem a : h.extractOutputValues()) {
            assertEquals(null, leafOf.put(Integer.parseInt(a.id), a.leaf), "item " + a.id + " emitted twice");
        }
        return leafOf;
    }

    @Test
    void itemsBufferedWhenACheckpointBeginsLeaveBeforeItsBarrier() throws Exception {
        int cut = 100; // one full batch of 64 and 36 items buffered at the checkpoint
        Map<Integer, Integer> covered;
        OperatorSubtaskState snapshot;
        try (HarnessMetrics metrics = new HarnessMetrics();
                var h = harness(metrics)) {
            h.open();
            feed(h, 0, cut);
            int out = h.extractOutputValues().size();
            assertTrue(
                    out == 0 || out == cfg.assignBatch(),
                    "one full batch out or still in flight on the worker, the rest buffered: " + out);
            // what the task does at a checkpoint: prepareSnapshotPreBarrier, barrier downstream, snapshotState
            h.prepareSnapshotPreBarrier(1);
            covered = emitted(h);
            snapshot = h.snapshot(1, 1);
            // processed after the barrier and lost with the task: the source replays them from the checkpoint
            feed(h, cut, cut + 20);
        }
        assertEquals(cut, covered.size(), "every item read before the barrier is downstream of it");

        Map<Integer, Integer> all = new HashMap<>(covered);
        try (HarnessMetrics metrics = new HarnessMetrics();
                var h = harness(metrics)) {
            h.initializeState(snapshot);
            h.open();
            feed(h, cut, N);
            h.endInput();
            for (Map.Entry<Integer, Integer> e : emitted(h).entrySet()) {
                assertEquals(
                        null,
                        all.put(e.getKey(), e.getValue()),
                        "item " + e.getKey() + " both before and after the restore");
            }
        }
        assertEquals(N, all.size(), "every item exactly once across the restore");
        for (Map.Entry<Integer, Integer> e : all.entrySet()) {
            assertEquals(fx.leaves.leaf()[e.getKey()], e.getValue(), "leaf of item " + e.getKey());
        }
    }

    @Test
    void aPartialBatchLeavesAfterItsDelayAndAtTheEndOfInput() throws Exception {
        try (HarnessMetrics metrics = new HarnessMetrics();
                var h = new OneInputStreamOperatorTestHarness<>(
                        new AssignOperator(oneThread(cfg)), metrics.environment())) {
            h.open();
            h.setProcessingTime(1_000);
            feed(h, 0, 5);
            assertEquals(0, h.extractOutputValues().size(), "a partial batch waits");
            h.setProcessingTime(1_000 + cfg.assignMaxDelayMillis());
            assertEquals(5, h.extractOutputValues().size(), "flushed by the delay timer");
            feed(h, 5, 8);
            h.endInput();
            assertEquals(8, emitted(h).size(), "flushed at the end of input");
            assertEquals(8, metrics.counter("recordsIn"));
            assertEquals(8, metrics.counter("assigned"));
        }
    }

    @Test
    void deadLettersLeaveAtOnceThroughTheSideOutputWithTheirBytesAndAreCountedPerReason() throws Exception {
        List<InputEvent> sent = new ArrayList<>();
        try (HarnessMetrics metrics = new HarnessMetrics();
                var h = harness(metrics)) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement(item(i), i);
                if (i % 3 == 0) {
                    InputEvent bad = deadLetter(i % 2 == 0 ? "UNPARSEABLE" : "WRONG_DIMENSION", i);
                    sent.add(bad);
                    h.processElement(bad, i);
                }
            }
            // not batched: a dead letter is out before the valid items around it are assigned
            List<InputEvent> letters = new ArrayList<>();
            for (StreamRecord<InputEvent> r : h.getSideOutput(AssignOperator.DEAD_LETTERS)) {
                letters.add(r.getValue());
            }
            assertEquals(sent.size(), letters.size());
            for (int i = 0; i < sent.size(); i++) {
                InputEvent want = sent.get(i);
                InputEvent got = letters.get(i);
                assertEquals(want.reason, got.reason);
                assertEquals(want.sourceTopic, got.sourceTopic);
                assertEquals(want.sourcePartition, got.sourcePartition);
                assertEquals(want.sourceOffset, got.sourceOffset);
                assertArrayEquals(want.key, got.key);
                assertArrayEquals(want.value, got.value);
                assertArrayEquals(want.headerNames, got.headerNames);
                assertArrayEquals(want.headerValues[0], got.headerValues[0]);
            }
            assertEquals(0, h.extractOutputValues().size(), "valid items still batched");
            h.endInput();
            Map<Integer, Integer> valid = emitted(h);
            assertEquals(10, valid.size(), "no dead letter in the main output, every valid item in it");
            assertEquals(14, metrics.counter("recordsIn"));
            assertEquals(10, metrics.counter("assigned"));
            assertEquals(4, metrics.counter("invalid"));
            assertEquals(2, metrics.counter("invalid_UNPARSEABLE"));
            assertEquals(2, metrics.counter("invalid_WRONG_DIMENSION"));
            assertTrue(metrics.counter("recordsIn") == metrics.counter("assigned") + metrics.counter("invalid"));
        }
    }

    private static CurateConfig windowed(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("quota.window", "1h");
        all.put("quota.expectedVolume", N);
        return CurateConfig.of(cfg.spec().with(all)).withModel(cfg.modelVersion(), cfg.modelDim());
    }

    /** The output in order: items (by id) and watermarks ("wm" + timestamp). */
    private static List<String> sequence(OneInputStreamOperatorTestHarness<InputEvent, AssignedItem> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("wm" + w.getTimestamp());
            } else if (o instanceof StreamRecord<?> r && r.getValue() instanceof AssignedItem a) {
                out.add(a.id);
            }
        }
        return out;
    }

    /**
     * A watermark that passes items still waiting for their batch would let an event-time window
     * close without them: it is held until the batch is assigned, then sent right after it.
     */
    @Test
    void aWatermarkWaitsForTheItemsBufferedBeforeIt() throws Exception {
        try (HarnessMetrics m = new HarnessMetrics();
                var h = new OneInputStreamOperatorTestHarness<>(
                        new AssignOperator(oneThread(windowed(Map.of()))), m.environment())) {
            h.open();
            h.setProcessingTime(1_000);
            for (int row = 0; row < 10; row++) {
                h.processElement(item(row), 5_000 + row);
            }
            h.processWatermark(new Watermark(5_009));
            assertTrue(sequence(h).isEmpty(), "neither the batch nor the watermark is out yet: " + sequence(h));
            h.setProcessingTime(1_000 + cfg.assignMaxDelayMillis());
            List<String> seq = sequence(h);
            assertEquals(11, seq.size(), "ten items, then the watermark: " + seq);
            assertEquals("wm5009", seq.get(10));
            for (AssignedItem a : h.extractOutputValues()) {
                assertEquals(
                        5_000 + Integer.parseInt(a.id), a.timestamp, "the record's timestamp travels with the item");
            }
            // with nothing buffered a watermark goes on at once
            h.processWatermark(new Watermark(6_000));
            assertEquals("wm6000", sequence(h).get(11));
        }
    }

    /**
     * Processing-time windows: an item's time is the clock when its batch is assigned, whatever its
     * record says, and the operator sends that clock on as the watermark (the source sends none).
     */
    @Test
    void processingTimeWindowsStampItemsWithTheClockAndSendItAsTheWatermark() throws Exception {
        try (HarnessMetrics m = new HarnessMetrics();
                var h = new OneInputStreamOperatorTestHarness<>(
                        new AssignOperator(oneThread(windowed(Map.of("quota.windowTime", "processing")))),
                        m.environment())) {
            h.open();
            h.setProcessingTime(1_000);
            for (int row = 0; row < 5; row++) {
                h.processElement(item(row), 42);
            }
            h.processWatermark(new Watermark(1_000_000));
            h.setProcessingTime(1_030);
            for (AssignedItem a : h.extractOutputValues()) {
                assertEquals(1_030, a.timestamp, "stamped when assigned");
            }
            h.setProcessingTime(2_000);
            List<Long> marks = new ArrayList<>();
            for (Object o : h.getOutput()) {
                if (o instanceof Watermark w) {
                    marks.add(w.getTimestamp());
                }
            }
            assertTrue(!marks.isEmpty() && marks.get(marks.size() - 1) == 1_999, "the clock as watermark: " + marks);
            assertTrue(marks.stream().allMatch(t -> t < 1_000_000), "the source's watermark is not followed: " + marks);
            h.processWatermark(Watermark.MAX_WATERMARK);
            assertEquals(
                    Long.MAX_VALUE,
                    ((Watermark) new ArrayList<>(h.getOutput())
                                    .get(h.getOutput().size() - 1))
                            .getTimestamp(),
                    "the end of input still is");
        }
    }

    /**
     * With the assignment overlapped (the default), a full batch goes to the worker and the task
     * reads on: the batch's items come out as soon as it is done (here a 1 ms poll notices, as on a
     * quiet input), items leave in input order across batches in flight, and a watermark still
     * follows every item that came before it.
     */
    @Test
    void overlappedBatchesLeaveInOrderSoonAfterTheyAreDoneAndBeforeALaterWatermark() throws Exception {
        try (HarnessMetrics m = new HarnessMetrics();
                var h = new OneInputStreamOperatorTestHarness<>(
                        new AssignOperator(windowed(Map.of())), m.environment())) {
            h.open();
            long now = 1_000;
            h.setProcessingTime(now);
            for (int row = 0; row < 64; row++) {
                h.processElement(item(row), 5_000 + row);
            }
            // one full batch in flight, no further input: the poll emits it once the worker is done
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (h.extractOutputValues().size() < 64 && System.nanoTime() < deadline) {
                Thread.sleep(1);
                h.setProcessingTime(++now);
            }
            assertEquals(64, h.extractOutputValues().size(), "the batch in flight came out without more input");
            for (int row = 64; row < 200; row++) {
                h.processElement(item(row), 5_000 + row);
                if (row == 127 || row == 150) {
                    // 127: the batch [64, 128) just went to the worker and nothing is buffered
                    h.processWatermark(new Watermark(5_000 + row));
                }
            }
            h.endInput();
            List<String> seq = sequence(h);
            assertEquals(202, seq.size(), "200 items and two watermarks: " + seq);
            assertTrue(seq.indexOf("wm5127") > 127, "a watermark after the 128 items before it: " + seq);
            assertTrue(seq.indexOf("wm5150") > 152, "a watermark after the 151 items before it: " + seq);
            int expected = 0;
            for (String s : seq) {
                if (!s.startsWith("wm")) {
                    assertEquals(Integer.toString(expected++), s, "items in input order");
                }
            }
            for (AssignedItem a : h.extractOutputValues()) {
                assertEquals(fx.leaves.leaf()[Integer.parseInt(a.id)], a.leaf, "leaf of item " + a.id);
            }
            assertEquals(200, m.counter("assigned"));
        }
    }
}
