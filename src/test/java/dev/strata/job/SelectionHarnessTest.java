package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.sampling.LeafStrategy;
import dev.strata.sampling.StreamQuotas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The selection operators in Flink's test harness: their state survives a snapshot and restore, and the caps hold across it. */
class SelectionHarnessTest {
    @TempDir
    Path dir;

    private static KeyedOneInputStreamOperatorTestHarness<Integer, AssignedItem, CuratedEvent> harness(CurateConfig cfg)
            throws Exception {
        KeyedProcessFunction<Integer, AssignedItem, CuratedEvent> f =
                cfg.mode() == EmitMode.EXACT ? new ExactSelectionFunction(cfg) : new AdmissionFunction(cfg);
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), item -> item.top, Types.INT);
    }

    /** The changelog as "+id" for an upsert and "-id" for a tombstone, in order. */
    private static List<String> changelog(
            KeyedOneInputStreamOperatorTestHarness<Integer, AssignedItem, CuratedEvent> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof CuratedEvent e) {
                out.add((e.tombstone() ? "-" : "+") + e.id);
            }
        }
        return out;
    }

    /** The changelog of one uninterrupted run, and of a run snapshot at n/2 that loses 100 items and is restored. */
    private record Runs(List<String> uninterrupted, List<String> restored) {}

    private static Runs uninterruptedAndRestored(JobFixture fx, CurateConfig cfg) throws Exception {
        List<String> uninterrupted;
        try (var h = harness(cfg)) {
            h.open();
            feed(h, fx, 0, fx.n, "");
            uninterrupted = changelog(h);
        }
        OperatorSubtaskState snapshot;
        List<String> restored;
        try (var h = harness(cfg)) {
            h.open();
            feed(h, fx, 0, fx.n / 2, "");
            restored = new ArrayList<>(changelog(h));
            snapshot = h.snapshot(1, 1);
            // processed after the snapshot, lost with the task: a failure before the next checkpoint
            feed(h, fx, fx.n / 2, fx.n / 2 + 100, "");
        }
        try (var h = harness(cfg)) {
            h.initializeState(snapshot);
            h.open();
            feed(h, fx, fx.n / 2, fx.n, "");
            restored.addAll(changelog(h));
        }
        return new Runs(uninterrupted, restored);
    }

    @Test
    void exactModeRestoredEmitsTheSameChangelogAsAnUninterruptedRun() throws Exception {
        JobFixture fx = new JobFixture(dir, 2000, 8, 7);
        CurateConfig cfg = fx.config(
                "unused:9092", "in", "out", "in.dlq", EmitMode.EXACT, LeafStrategy.CLOSEST, fx.n / 4, fx.n, true);
        Runs runs = uninterruptedAndRestored(fx, cfg);
        assertTrue(runs.uninterrupted().stream().anyMatch(c -> c.startsWith("-")), "evictions happened");
        assertEquals(runs.uninterrupted(), runs.restored());
    }

    private static List<String> ids(KeyedOneInputStreamOperatorTestHarness<Integer, AssignedItem, CuratedEvent> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r && r.getValue() instanceof CuratedEvent e) {
                out.add(e.id);
            }
        }
        return out;
    }

    /** Rows [from, to) of the fixture as assigned items, ids = prefix + row. */
    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<Integer, AssignedItem, CuratedEvent> h,
            JobFixture fx,
            int from,
            int to,
            String prefix)
            throws Exception {
        for (int i = from; i < to; i++) {
            int leaf = fx.leaves.leaf()[i];
            h.processElement(
                    new AssignedItem(
                            prefix + i,
                            leaf,
                            fx.tree.pathOf(leaf)[fx.tree.depth() - 1],
                            fx.leaves.distanceSq()[i],
                            null),
                    i);
        }
    }

    @Test
    void aRestoredRunDecidesExactlyAsAnUninterruptedOne() throws Exception {
        JobFixture fx = new JobFixture(dir, 2000, 8, 5);
        CurateConfig cfg = fx.config(
                "unused:9092", "in", "out", "in.dlq", EmitMode.ADMISSION, LeafStrategy.RANDOM, fx.n / 4, fx.n, true);
        Runs runs = uninterruptedAndRestored(fx, cfg);
        // the counters (seen, accepted) drive every later decision: lost or doubled, the sets differ
        assertTrue(
                runs.uninterrupted().size() > fx.n / 8,
                "a real sample: " + runs.uninterrupted().size());
        assertEquals(runs.uninterrupted(), runs.restored());
    }

    @Test
    void noLeafExceedsItsQuotaAcrossARestore() throws Exception {
        JobFixture fx = new JobFixture(dir, 2000, 8, 6);
        CurateConfig cfg = fx.config(
                "unused:9092", "in", "out", "in.dlq", EmitMode.ADMISSION, LeafStrategy.RANDOM, 200, fx.n, true);
        StreamQuotas quotas = cfg.quotas(fx.tree);
        Map<Integer, Integer> perLeaf = new HashMap<>();
        OperatorSubtaskState snapshot;
        List<String> accepted = new ArrayList<>();
        try (var h = harness(cfg)) {
            h.open();
            feed(h, fx, 0, fx.n / 2, "");
            accepted.addAll(ids(h));
            snapshot = h.snapshot(1, 1);
        }
        // the second half twice: replayed input must not push any leaf past its quota
        try (var h = harness(cfg)) {
            h.initializeState(snapshot);
            h.open();
            for (int pass = 0; pass < 2; pass++) {
                feed(h, fx, fx.n / 2, fx.n, pass + "-");
            }
            accepted.addAll(ids(h));
        }
        for (String id : accepted) {
            int row = Integer.parseInt(id.contains("-") ? id.substring(id.indexOf('-') + 1) : id);
            perLeaf.merge(fx.leaves.leaf()[row], 1, Integer::sum);
        }
        for (Map.Entry<Integer, Integer> e : perLeaf.entrySet()) {
            assertTrue(
                    e.getValue() <= quotas.leafQuota(e.getKey()),
                    "leaf " + e.getKey() + ": " + e.getValue() + " accepted, quota " + quotas.leafQuota(e.getKey()));
        }
        assertTrue(accepted.size() <= 200);
    }
}
