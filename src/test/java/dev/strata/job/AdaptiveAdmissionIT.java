package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.model.LevelStats;
import dev.strata.records.CuratedRecord;
import dev.strata.records.EmbeddingRecord;
import dev.strata.records.EncodedRecord;
import dev.strata.records.RecordEncoder;
import dev.strata.records.WireFormat;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.LeafStrategy;
import dev.strata.sampling.StreamQuotas;
import dev.strata.sampling.Uniform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive admission end to end on a real broker and a real Flink job (MiniCluster, RocksDB,
 * exactly-once sinks), on a stream that does not look like the pool: half of the top clusters
 * receive a fifth of their items. The fixed plan would leave their quota unused; adaptive
 * quotas deliver nearly the target, never more, balanced like the batch selection of the same stream.
 */
@ExtendWith(SharedKafka.class)
class AdaptiveAdmissionIT {
    private static final int N = 3000;
    private static final int DIM = 16;

    @TempDir
    static Path dir;

    static JobFixture fx;

    @BeforeAll
    static void buildModel() {
        fx = new JobFixture(dir, N, DIM, 11);
    }

    /** The drifted stream: every row of the upper half of top clusters, one in five of the lower half, shuffled. */
    private static List<Integer> driftedRows() {
        int tops = fx.tree.top().clusters();
        int[] topOf = fx.tree.topOfLeaves();
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            if (topOf[fx.leaves.leaf()[r]] >= tops / 2 || r % 5 == 0) {
                rows.add(r);
            }
        }
        Collections.shuffle(rows, new Random(3));
        return rows;
    }

    @Test
    void aDriftedStreamGetsTheTargetNeverMoreBalancedLikeTheBatchSelection(LocalKafka kafka) throws Exception {
        curateDrifted(kafka, "drift", 1);
    }

    /**
     * V told twice the stream (issue 12's 0.58 of T): admission paces for items that never come, and
     * the top-up at the end of the bounded input fills the target from the leaves' reserves, through
     * the same exactly-once sink.
     */
    @Test
    void aStreamEndingAtHalfItsToldVolumeIsToppedUpToTheTarget(LocalKafka kafka) throws Exception {
        curateDrifted(kafka, "drift2x", 2);
    }

    private void curateDrifted(LocalKafka kafka, String name, int volumeFactor) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, name + "-in", 3, Map.of());
        String out = KafkaTestSupport.newTopic(bs, name + "-curated", 2, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, name + "-dlq", 1, Map.of());
        List<Integer> stream = driftedRows();
        long target = stream.size() / 10;
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            for (int r : stream) {
                EncodedRecord e = RecordEncoder.encode(
                        new EmbeddingRecord(
                                Integer.toString(r), fx.data.points().row(r), null),
                        WireFormat.F32);
                p.send(new ProducerRecord<>(in, null, e.key(), e.value(), e.headers()));
            }
        }
        CurateConfig cfg = fx.config(
                bs,
                in,
                out,
                dlq,
                EmitMode.ADMISSION,
                LeafStrategy.RANDOM,
                target,
                (long) volumeFactor * stream.size(),
                true);
        assertEquals(QuotaPlanMode.ADAPTIVE, cfg.quotaPlan(), "adaptive is admission's default");
        JobRuntime.startLocal(
                        cfg, fx.tree.top().clusters(), 2, dir.resolve("cp").toString(), 500, 0)
                .getJobExecutionResult()
                .get(4, TimeUnit.MINUTES);

        Set<Integer> ids = new HashSet<>();
        for (CuratedRecord c : JobFixture.curated(bs, out)) {
            assertTrue(ids.add(Integer.parseInt(c.id())), "duplicate id " + c.id());
        }
        // at this small scale (60 leaves, about 2.6 items of quota each) the pacing alone delivered
        // 0.937-0.987 of T over 12 shuffles of this stream; with the top-up at the end of the input the
        // same decisions (AdmissionReplay) delivered exactly T on all 12, for V exact and V twice too
        // large. 0.98 is issue 12's goal; what is left below T is a top cluster whose leaves' reserves
        // cannot fill its final budget (the top-up does not move budget across top clusters)
        assertTrue(
                ids.size() >= 0.98 * target && ids.size() <= target, "curated " + ids.size() + " of target " + target);

        // the same stream under the fixed plan (its decisions, without Flink): the drift costs it the target
        FixedAdmission fixed =
                new FixedAdmission(StreamQuotas.of(fx.tree, target, (long) volumeFactor * stream.size(), cfg.seed()));
        LeafCounter[] leaves = new LeafCounter[fx.tree.leaves().clusters()];
        long[] topAccepted = new long[fx.tree.top().clusters()];
        int[] topOf = fx.tree.topOfLeaves();
        long fixedAccepted = 0;
        for (int r : stream) {
            int leaf = fx.leaves.leaf()[r];
            leaves[leaf] = leaves[leaf] == null ? new LeafCounter() : leaves[leaf];
            if (fixed.decide(
                            leaves[leaf],
                            topAccepted[topOf[leaf]],
                            leaf,
                            topOf[leaf],
                            Uniform.of(cfg.seed(), Integer.toString(r)))
                    == TopAdmission.Decision.ACCEPTED) {
                topAccepted[topOf[leaf]]++;
                fixedAccepted++;
            }
        }
        assertTrue(fixedAccepted < 0.9 * target, "the fixed plan accepts " + fixedAccepted + " of " + target);

        int[] leafOf = new int[stream.size()];
        float[] dist = new float[stream.size()];
        for (int k = 0; k < leafOf.length; k++) {
            leafOf[k] = fx.leaves.leaf()[stream.get(k)];
            dist[k] = fx.leaves.distanceSq()[stream.get(k)];
        }
        List<Integer> batch = new ArrayList<>();
        for (int k : BalancedSelection.select(fx.tree, leafOf, dist, target, LeafStrategy.RANDOM, 0)) {
            batch.add(stream.get(k));
        }
        double hs = LevelStats.normalizedEntropy(fx.perTop(fx.perLeaf(ids)));
        double hb = LevelStats.normalizedEntropy(fx.perTop(fx.perLeaf(batch)));
        // issue 12's bound. It once failed at 0.971 against 0.9999: the top-up let a top cluster pass
        // its budget and the target cap then cut the top clusters topped up after it
        assertTrue(Math.abs(hs - hb) <= 0.01, "entropy over top clusters: stream " + hs + ", batch " + hb);
    }
}
