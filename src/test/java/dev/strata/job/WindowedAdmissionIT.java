package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.model.LevelStats;
import dev.strata.records.CuratedRecord;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.LeafStrategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 * Budgets per window end to end on a real broker and a real Flink job (MiniCluster, RocksDB,
 * exactly-once sinks): records whose Kafka timestamps spread over three one-hour windows of
 * unequal volume (1200, 900, 900 items), T per window. Each window gets its own T, never more,
 * balanced like the batch selection of that window's items, with V given (1000, off by up to 20%
 * either way) and with V left to the estimate from the arrival rate.
 */
@ExtendWith(SharedKafka.class)
class WindowedAdmissionIT {
    private static final int N = 3000;
    private static final int DIM = 16;
    private static final long HOUR = 3_600_000L;
    /** An hour boundary, so the windows are [BASE, BASE + 1h), ... */
    private static final long BASE = 1_700_000_000_000L / HOUR * HOUR;

    private static final int[] PER_WINDOW = {1200, 900, 900};
    private static final long TARGET = 100;

    @TempDir
    static Path dir;

    static JobFixture fx;

    @BeforeAll
    static void buildModel() {
        fx = new JobFixture(dir, N, DIM, 11);
    }

    @Test
    void eachWindowGetsItsTargetBalancedWithVolumeGiven(LocalKafka kafka) throws Exception {
        curate(kafka, "win-v", 1000L);
    }

    @Test
    void eachWindowGetsItsTargetBalancedWithVolumeFromTheArrivalRate(LocalKafka kafka) throws Exception {
        curate(kafka, "win-rate", null);
    }

    /**
     * Savepoints restore by uid: without a window the job graph keeps the single horizon's uids,
     * and with one the quota operators have their own (their state is keyed differently).
     */
    @Test
    void withoutAWindowTheGraphKeepsTheSingleHorizonsUidsAndWithOneItHasItsOwn(LocalKafka kafka) {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "win-graph-in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "win-graph-curated", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "win-graph-dlq", 1, Map.of());
        String v = fx.tree.version();
        Set<String> single = uids(fx.config(bs, in, out, dlq, EmitMode.ADMISSION, LeafStrategy.RANDOM, 10, 100, true));
        assertTrue(
                single.containsAll(Set.of(
                        "source",
                        "assign",
                        "arrivals",
                        "quota-planner-" + v,
                        "select-admission-adaptive-" + v,
                        "target-cap",
                        "balance")),
                "single horizon: " + single);
        Set<String> windowed = uids(windowed(bs, in, out, dlq, null));
        assertTrue(
                windowed.containsAll(Set.of(
                        "source",
                        "assign",
                        "arrivals-windowed",
                        "quota-planner-windowed-" + v,
                        "select-admission-windowed-" + v,
                        "target-cap-windowed",
                        "balance")),
                "windowed: " + windowed);
        Set<String> shared = new HashSet<>(single);
        shared.retainAll(windowed);
        assertTrue(
                shared.stream()
                        .noneMatch(u -> u.contains("arrivals")
                                || u.contains("quota")
                                || u.contains("select")
                                || u.contains("cap")),
                "no quota operator shares a uid: " + shared);
    }

    private static Set<String> uids(CurateConfig cfg) {
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment();
        CurationJob.build(env, cfg, fx.tree.top().clusters());
        Set<String> uids = new HashSet<>();
        for (var node : env.getStreamGraph().getStreamNodes()) {
            if (node.getTransformationUID() != null) {
                uids.add(node.getTransformationUID());
            }
        }
        return uids;
    }

    private void curate(LocalKafka kafka, String name, Long volume) throws Exception {
        String bs = kafka.bootstrapServers();
        // timestamps of 2023: retention.ms=-1, or the broker's retention check (every 5 minutes, 7 days)
        // may delete them while the job reads
        String in = KafkaTestSupport.newTopic(bs, name + "-in", 3, Map.of("retention.ms", "-1"));
        String out = KafkaTestSupport.newTopic(bs, name + "-curated", 2, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, name + "-dlq", 1, Map.of());
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < N; r++) {
            rows.add(r);
        }
        Collections.shuffle(rows, new Random(5));
        // window w gets PER_WINDOW[w] items, their timestamps spread evenly over its hour, in order
        Map<Integer, Integer> windowOf = new HashMap<>();
        List<List<Integer>> byWindow = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            int k = 0;
            for (int w = 0; w < PER_WINDOW.length; w++) {
                List<Integer> these = new ArrayList<>();
                for (int i = 0; i < PER_WINDOW[w]; i++, k++) {
                    int r = rows.get(k);
                    long ts = BASE + w * HOUR + i * (HOUR / PER_WINDOW[w]);
                    ProducerRecord<byte[], byte[]> rec = fx.record(in, r);
                    p.send(new ProducerRecord<>(in, null, ts, rec.key(), rec.value(), rec.headers()));
                    windowOf.put(r, w);
                    these.add(r);
                }
                byWindow.add(these);
            }
        }
        CurateConfig cfg = windowed(bs, in, out, dlq, volume);
        assertEquals(volume == null ? 0 : volume, cfg.expectedVolume());
        JobRuntime.startLocal(
                        cfg,
                        fx.tree.top().clusters(),
                        2,
                        dir.resolve("cp-" + name).toString(),
                        500,
                        0)
                .getJobExecutionResult()
                .get(4, TimeUnit.MINUTES);

        List<Set<Integer>> curated = new ArrayList<>();
        for (int w = 0; w < PER_WINDOW.length; w++) {
            curated.add(new HashSet<>());
        }
        for (CuratedRecord c : JobFixture.curated(bs, out)) {
            int r = Integer.parseInt(c.id());
            assertTrue(curated.get(windowOf.get(r)).add(r), "duplicate id " + c.id());
        }
        for (int w = 0; w < PER_WINDOW.length; w++) {
            Set<Integer> ids = curated.get(w);
            assertTrue(
                    ids.size() >= 0.98 * TARGET && ids.size() <= TARGET,
                    "window " + w + ": curated " + ids.size() + " of target " + TARGET);
            List<Integer> items = byWindow.get(w);
            int[] leafOf = new int[items.size()];
            float[] dist = new float[items.size()];
            for (int k = 0; k < leafOf.length; k++) {
                leafOf[k] = fx.leaves.leaf()[items.get(k)];
                dist[k] = fx.leaves.distanceSq()[items.get(k)];
            }
            List<Integer> batch = new ArrayList<>();
            for (int k : BalancedSelection.select(fx.tree, leafOf, dist, TARGET, LeafStrategy.RANDOM, 0)) {
                batch.add(items.get(k));
            }
            double hs = LevelStats.normalizedEntropy(fx.perTop(fx.perLeaf(ids)));
            double hb = LevelStats.normalizedEntropy(fx.perTop(fx.perLeaf(batch)));
            assertTrue(
                    Math.abs(hs - hb) <= 0.01,
                    "window " + w + ": entropy over top clusters: stream " + hs + ", batch " + hb);
        }
    }

    /** Admission with budgets per hour in event time, T per window, V as given (null: from the rate). */
    private static CurateConfig windowed(String bs, String in, String out, String dlq, Long volume) {
        String group = "it-" + out;
        Map<String, Object> settings = new HashMap<>(Map.of(
                "kafka.bootstrapServers", bs,
                "kafka.inputTopic", in,
                "kafka.outputTopic", out,
                "kafka.deadLetterTopic", dlq,
                "kafka.groupId", group,
                "kafka.transactionalIdPrefix", group,
                "model", fx.modelPath.toString(),
                "quota.target", TARGET,
                "quota.window", "1h",
                "bounded", true));
        // the records come in timestamp order per partition: a short bound lets windows close mid-stream
        settings.put("quota.allowedLateness", "1s");
        if (volume != null) {
            settings.put("quota.expectedVolume", volume);
        }
        return CurateConfig.of(CurateSpec.of(settings)).withModel(fx.tree.version(), DIM);
    }
}
