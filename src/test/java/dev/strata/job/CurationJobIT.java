package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.model.LevelStats;
import dev.strata.records.CuratedRecord;
import dev.strata.records.DeadLetter;
import dev.strata.records.EmbeddingRecord;
import dev.strata.records.EncodedRecord;
import dev.strata.records.RecordEncoder;
import dev.strata.records.WireFormat;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.LeafStrategy;
import dev.strata.sampling.StreamQuotas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming contract (docs/architecture.md, "The streaming job"), on a real broker and a real Flink job
 * (MiniCluster, RocksDB, exactly-once sinks): replaying a data set through the job agrees with
 * the batch selection on the same data and model.
 */
@ExtendWith(SharedKafka.class)
class CurationJobIT {
    private static final int N = 3000;
    private static final int DIM = 16;
    private static final long TARGET = 300;

    @TempDir
    static Path dir;

    static JobFixture fx;

    @BeforeAll
    static void buildModel() {
        fx = new JobFixture(dir, N, DIM, 11);
    }

    private static CurateConfig config(
            LocalKafka kafka,
            String in,
            String out,
            String dlq,
            EmitMode mode,
            LeafStrategy strategy,
            long target,
            long volume) {
        return fx.config(kafka.bootstrapServers(), in, out, dlq, mode, strategy, target, volume, true);
    }

    private static void run(CurateConfig cfg) throws Exception {
        Path checkpoints = dir.resolve("cp-" + cfg.outputTopic());
        JobRuntime.startLocal(cfg, fx.tree.top().clusters(), 2, checkpoints.toString(), 500, 0)
                .getJobExecutionResult()
                .get(4, TimeUnit.MINUTES);
    }

    private static void produceShuffled(LocalKafka kafka, String topic, long seed) {
        fx.produce(kafka.bootstrapServers(), topic, 0, N, seed, 0);
    }

    @Test
    void admissionReplayAgreesWithBatchPerLeafAndIsExactlyOnce(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 3, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "curated", 2, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        produceShuffled(kafka, in, 5);
        // per-leaf agreement with the batch selection is the fixed plan's property; adaptive
        // decisions depend on when each plan arrives (AdaptiveAdmissionIT)
        CurateConfig cfg = config(kafka, in, out, dlq, EmitMode.ADMISSION, LeafStrategy.RANDOM, TARGET, N);
        run(CurateConfig.of(cfg.spec().with(Map.of("quota.plan", "fixed")))
                .withModel(cfg.modelVersion(), cfg.modelDim()));

        List<ConsumerRecord<byte[], byte[]>> curated = KafkaTestSupport.readAll(bs, out);
        Set<Integer> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : curated) {
            CuratedRecord c = CuratedRecord.fromJson(r.value());
            assertTrue(ids.add(Integer.parseInt(c.id())), "duplicate id " + c.id());
            assertEquals(fx.leaves.leaf()[Integer.parseInt(c.id())], c.leaf(), "leaf of " + c.id());
            assertEquals(fx.tree.version(), c.modelVersion());
            assertTrue(c.meta().contains("label"), c.meta());
        }
        // the stream is the pool the model was built on and V its size: selection sampling fills every leaf
        assertEquals(TARGET, ids.size(), "curated items");

        int[] batch = BalancedSelection.select(
                fx.tree, fx.leaves.leaf(), fx.leaves.distanceSq(), TARGET, LeafStrategy.RANDOM, 0);
        List<Integer> batchRows = new ArrayList<>();
        for (int r : batch) {
            batchRows.add(r);
        }
        long[] streamLeaves = fx.perLeaf(ids);
        long[] batchPerLeaf = fx.perLeaf(batchRows);
        StreamQuotas quotas = config(kafka, in, out, dlq, EmitMode.ADMISSION, LeafStrategy.RANDOM, TARGET, N)
                .quotas(fx.tree);
        for (int l = 0; l < streamLeaves.length; l++) {
            assertEquals(quotas.leafQuota(l), streamLeaves[l], "leaf " + l + " filled to its quota");
            assertEquals(batchPerLeaf[l], streamLeaves[l], "leaf " + l + ": stream and batch");
        }
        double hs = LevelStats.normalizedEntropy(fx.perTop(streamLeaves));
        double hb = LevelStats.normalizedEntropy(fx.perTop(batchPerLeaf));
        assertTrue(Math.abs(hs - hb) <= 0.02, "entropy stream " + hs + " vs batch " + hb);
        assertEquals(0, KafkaTestSupport.readAll(bs, dlq).size());
    }

    @Test
    void exactModeWithClosestHoldsTheBatchIds(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 3, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "changelog", 2, Map.of("cleanup.policy", "compact"));
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        produceShuffled(kafka, in, 9);
        run(config(kafka, in, out, dlq, EmitMode.EXACT, LeafStrategy.CLOSEST, TARGET, N));

        Map<String, byte[]> live = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(bs, out)) {
            String id = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                live.remove(id);
            } else {
                live.put(id, r.value());
            }
        }
        int[] batch = BalancedSelection.select(
                fx.tree, fx.leaves.leaf(), fx.leaves.distanceSq(), TARGET, LeafStrategy.CLOSEST, 0);
        Set<String> expected = new HashSet<>();
        for (int r : batch) {
            expected.add(Integer.toString(r));
        }
        assertEquals(expected, live.keySet());
        for (Map.Entry<String, byte[]> e : live.entrySet()) {
            CuratedRecord c = CuratedRecord.fromJson(e.getValue());
            assertEquals(e.getKey(), c.id());
            assertEquals(fx.leaves.leaf()[Integer.parseInt(c.id())], c.leaf(), "leaf of " + c.id());
        }
        assertEquals(0, KafkaTestSupport.readAll(bs, dlq).size(), "no dead letters from valid input");
    }

    @Test
    void malformedRecordsEndInTheDeadLetterTopicAndTheJobCarriesOn(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "curated", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        Map<String, byte[]> bad = new HashMap<>();
        bad.put("garbage", new byte[] {1, 2, 3});
        bad.put("no-id", "{\"embedding\":[1,2]}".getBytes(StandardCharsets.UTF_8));
        bad.put("wrong-dim", RecordEncoder.json(new EmbeddingRecord("wrong-dim", new float[DIM + 1], null)));
        bad.put(
                "nan",
                "{\"id\":\"nan\",\"embedding\":[NaN,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}".getBytes(StandardCharsets.UTF_8));
        bad.put("empty", new byte[0]);
        bad.put(
                "bad-meta",
                RecordEncoder.json(new EmbeddingRecord("bad-meta", new float[DIM], null)).length > 0
                        ? ("{\"id\":\"bad-meta\",\"embedding\":" + zeros(DIM) + ",\"meta\":7}")
                                .getBytes(StandardCharsets.UTF_8)
                        : null);
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            for (int i = 0; i < 200; i++) {
                if (i % 40 == 5) {
                    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                        byte[] key =
                                e.getKey().equals("no-id") ? null : e.getKey().getBytes(StandardCharsets.UTF_8);
                        ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(in, key, e.getValue());
                        rec.headers().add(new RecordHeader("crawler", "c7".getBytes(StandardCharsets.UTF_8)));
                        p.send(rec);
                    }
                }
                EncodedRecord e = RecordEncoder.encode(
                        new EmbeddingRecord(
                                Integer.toString(i), fx.data.points().row(i), null),
                        WireFormat.JSON);
                p.send(new ProducerRecord<>(in, null, e.key(), e.value(), e.headers()));
            }
        }
        // target = expected volume = the model's pool, under the default (adaptive) plan: the target
        // can only be reached by keeping every valid item, so none may be refused, and a lost or
        // doubled one shows (docs/architecture.md, "Estimates")
        run(config(kafka, in, out, dlq, EmitMode.ADMISSION, LeafStrategy.RANDOM, N, N));

        List<ConsumerRecord<byte[], byte[]>> letters = KafkaTestSupport.readAll(bs, dlq);
        assertEquals(5 * bad.size(), letters.size());
        Map<String, String> reasonOf = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            String reason =
                    new String(r.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8);
            assertEquals("c7", new String(r.headers().lastHeader("crawler").value(), StandardCharsets.UTF_8));
            String key = r.key() == null ? "no-id" : new String(r.key(), StandardCharsets.UTF_8);
            assertTrue(
                    java.util.Arrays.equals(bad.get(key), r.value() == null ? new byte[0] : r.value()),
                    "original bytes kept for " + key);
            reasonOf.put(key, reason);
        }
        assertEquals("UNPARSEABLE", reasonOf.get("garbage"));
        assertEquals("MISSING_ID", reasonOf.get("no-id"));
        assertEquals("WRONG_DIMENSION", reasonOf.get("wrong-dim"));
        assertEquals("NON_FINITE", reasonOf.get("nan"));
        assertEquals("EMPTY_VALUE", reasonOf.get("empty"));
        assertEquals("BAD_META", reasonOf.get("bad-meta"));
        for (String reason : reasonOf.values()) {
            assertEquals(
                    5,
                    letters.stream()
                            .filter(r -> reason.equals(new String(
                                    r.headers()
                                            .lastHeader(DeadLetter.REASON_HEADER)
                                            .value(),
                                    StandardCharsets.UTF_8)))
                            .count(),
                    "dead letters with reason " + reason);
        }
        // the valid records around the bad ones were all curated, each once
        List<String> curatedIds = new ArrayList<>();
        for (CuratedRecord c : JobFixture.curated(bs, out)) {
            curatedIds.add(c.id());
        }
        Collections.sort(curatedIds, java.util.Comparator.comparingInt(Integer::parseInt));
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(Integer.toString(i));
        }
        assertEquals(all, curatedIds);
    }

    private static String zeros(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "0" : ",0");
        }
        return sb.append(']').toString();
    }
}
