package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.flink.rest.FlinkJobProbe;
import dev.strata.flink.rest.FlinkRest;
import dev.strata.kafka.GroupProgress;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.kafka.KafkaTopics;
import dev.strata.local.LocalFlinkCluster;
import dev.strata.local.LocalKafka;
import dev.strata.local.ProjectHome;
import dev.strata.local.SharedKafka;
import dev.strata.progress.Progress;
import dev.strata.records.CuratedRecord;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.LeafStrategy;
import dev.strata.sampling.StreamQuotas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises that matter in production, on a real Flink session cluster (a JobManager and a
 * TaskManager as separate JVMs, the shaded job jar submitted over REST) and a real broker: no
 * curated item lost, none duplicated, no quota overrun, whatever fails. Faults are kill -9 of a
 * TaskManager, of the broker and of the JobManager, each injected mid-stream (checkpoints done,
 * part of the input consumed, the rest still to come) and seen afterwards (a restart in the job's
 * exception history, a new broker process, a job restored from the checkpoint). Where the test
 * says "every id exactly once", target = expected volume = the pool, so every item is curated and
 * a single lost or doubled one shows; in exact mode the compacted changelog must be the batch
 * selection itself.
 */
@ExtendWith(SharedKafka.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionClusterRecoveryIT {
    private static final int N = 4000;
    private static final int DIM = 16;
    private static final long TARGET = 400;
    /** Records per second of the feeds: the whole input takes 10 s, so a fault lands mid-stream. */
    private static final double RATE = 400;
    /** Where the feeds slow to a trickle until the fault is injected: the job cannot have consumed all of the input before it. */
    private static final int HOLD = 3 * N / 4;

    @TempDir
    static Path dir;

    static JobFixture fx;
    static LocalFlinkCluster cluster;
    /** The job jar as uploaded to the running JobManager (48 MB: once, not per job; a new JobManager has lost it). */
    static String jarId;

    @BeforeAll
    static void start() {
        fx = new JobFixture(dir, N, DIM, 21);
        cluster = new LocalFlinkCluster(
                ProjectHome.find(), dir.resolve("flink"), SharedKafka.freePort(), SharedKafka.freePort());
        cluster.start(1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    private String submit(CurateConfig cfg, int parallelism, String savepoint) {
        // assignMaxDelayMs 200 (default 20): rows wait in the assignment batch long enough that a
        // checkpoint barrier nearly always finds some there, where an unflushed batch would be lost
        CurateSpec spec = cfg.spec()
                .with(Map.of(
                        "name",
                        "it-" + cfg.outputTopic(),
                        "parallelism",
                        parallelism,
                        "checkpointing.intervalMs",
                        500,
                        "checkpointing.dir",
                        checkpointDir(cfg).toString(),
                        "assignMaxDelayMs",
                        200));
        FlinkRest rest = cluster.rest();
        if (jarId == null) {
            jarId = rest.uploadJar(ProjectHome.find().resolve("target/strata-job.jar"));
        }
        return rest.run(
                jarId,
                "dev.strata.job.CurationMain",
                List.of(
                        "--config-base64",
                        Base64.getEncoder().encodeToString(spec.toYaml().getBytes(StandardCharsets.UTF_8))),
                null,
                savepoint);
    }

    private static FlinkJobProbe probe() {
        return new FlinkJobProbe(cluster.restUrl());
    }

    private static Path checkpointDir(CurateConfig cfg) {
        return dir.resolve("cp-" + cfg.outputTopic());
    }

    private void awaitCheckpoints(String jobId, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (completedCheckpoints(jobId) < count) {
            assertTrue(System.currentTimeMillis() < deadline, "no checkpoint completed for " + jobId);
            Thread.sleep(200);
        }
    }

    private long completedCheckpoints(String jobId) {
        try {
            return probe().jobCheckpoints(jobId)
                    .path("counts")
                    .path("completed")
                    .asLong();
        } catch (RuntimeException e) {
            return 0; // the job is (re)starting
        }
    }

    /** Frees the job's slots for the next test; a job that already ended is fine. */
    private void cancelQuietly(String jobId) {
        try {
            String state = probe().jobState(jobId);
            if (!state.equals("FINISHED") && !state.equals("CANCELED") && !state.equals("FAILED")) {
                probe().cancel(jobId);
            }
            long deadline = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < deadline
                    && !probe().jobState(jobId).matches("CANCELED|FINISHED|FAILED")) {
                Thread.sleep(200);
            }
        } catch (Exception e) {
            // best effort: the assertion that failed matters more than the clean-up
        }
    }

    /**
     * The committed curated records once they stop changing. The source commits its offsets and
     * the sinks their transactions on the same checkpoint notification, but not at the same
     * instant: a read right after the group caught up can miss the last transaction.
     */
    private static List<CuratedRecord> settledCurated(LocalKafka kafka, String topic) throws InterruptedException {
        List<CuratedRecord> last = JobFixture.curated(kafka.bootstrapServers(), topic);
        for (int i = 0; i < 20; i++) {
            Thread.sleep(750);
            List<CuratedRecord> now = JobFixture.curated(kafka.bootstrapServers(), topic);
            if (now.size() == last.size() && !now.isEmpty()) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** Every curated item once, exactly the target, and no leaf or top cluster above its quota. */
    private void assertCuratedOnceWithinQuotas(LocalKafka kafka, CurateConfig cfg) throws InterruptedException {
        StreamQuotas quotas = cfg.quotas(fx.tree);
        List<CuratedRecord> curated = settledCurated(kafka, cfg.outputTopic());
        Set<Integer> ids = new HashSet<>();
        List<Integer> rows = new ArrayList<>();
        for (CuratedRecord r : curated) {
            int id = Integer.parseInt(r.id());
            assertTrue(ids.add(id), "item " + id + " curated twice");
            rows.add(id);
        }
        long[] perLeaf = fx.perLeaf(rows);
        for (int leaf = 0; leaf < perLeaf.length; leaf++) {
            assertTrue(
                    perLeaf[leaf] <= quotas.leafQuota(leaf),
                    "leaf " + leaf + " holds " + perLeaf[leaf] + " > quota " + quotas.leafQuota(leaf));
        }
        long[] perTop = fx.perTop(perLeaf);
        for (int top = 0; top < perTop.length; top++) {
            assertTrue(perTop[top] <= quotas.topQuota(top), "top cluster " + top + " over quota");
        }
        // every leaf received exactly its expected items, so selection sampling filled every quota
        assertEquals(TARGET, ids.size());
    }

    private CurateConfig admission(LocalKafka kafka, String tag) {
        return config(kafka, tag, EmitMode.ADMISSION, LeafStrategy.RANDOM, TARGET, Map.of());
    }

    /**
     * Admission with T = V = the pool, under the default (adaptive) plan: the target can only be
     * reached by keeping every item, so every id must come out once whichever plan each item meets
     * after a restart; the counters, the reserves, the broadcast plan, the planner's counts and the
     * cap's count all come back from the checkpoint.
     */
    private CurateConfig keepAll(LocalKafka kafka, String tag) {
        String bs = kafka.bootstrapServers();
        CurateConfig cfg = fx.config(
                bs,
                KafkaTestSupport.newTopic(bs, tag + "-in", 2, Map.of()),
                KafkaTestSupport.newTopic(bs, tag + "-out", 2, Map.of()),
                KafkaTestSupport.newTopic(bs, tag + "-dlq", 1, Map.of()),
                EmitMode.ADMISSION,
                LeafStrategy.RANDOM,
                N,
                N,
                false);
        assertEquals(QuotaPlanMode.ADAPTIVE, cfg.quotaPlan());
        return cfg;
    }

    private CurateConfig config(
            LocalKafka kafka,
            String tag,
            EmitMode mode,
            LeafStrategy strategy,
            long target,
            Map<String, String> outputTopicConfig) {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, tag + "-in", 2, Map.of());
        String out = KafkaTestSupport.newTopic(bs, tag + "-out", 2, outputTopicConfig);
        String dlq = KafkaTestSupport.newTopic(bs, tag + "-dlq", 1, Map.of());
        CurateConfig cfg = fx.config(bs, in, out, dlq, mode, strategy, target, N, false);
        if (mode != EmitMode.ADMISSION) {
            return cfg;
        }
        // these tests check the fixed plan's per-leaf counters and ids (keepAll runs the adaptive plan;
        // its decisions under a target below V are AdaptiveAdmissionHarnessTest's and AdaptiveAdmissionIT's)
        return CurateConfig.of(cfg.spec().with(Map.of("quota.plan", QuotaPlanMode.FIXED.label())))
                .withModel(cfg.modelVersion(), cfg.modelDim());
    }

    private static long consumed(LocalKafka kafka, CurateConfig cfg) throws Exception {
        Admin admin = KafkaTopics.admin(kafka.bootstrapServers());
        try {
            List<TopicPartition> tps = new ArrayList<>();
            for (var p : admin.describeTopics(List.of(cfg.inputTopic()))
                    .allTopicNames()
                    .get()
                    .get(cfg.inputTopic())
                    .partitions()) {
                tps.add(new TopicPartition(cfg.inputTopic(), p.partition()));
            }
            return GroupProgress.committed(admin, cfg.groupId(), tps);
        } finally {
            KafkaTopics.close(admin);
        }
    }

    /**
     * Waits until the job is demonstrably mid-stream: at least two checkpoints completed and the
     * source committed offsets for some of the input (it commits them on completed checkpoints),
     * and asserts it has not consumed all of it. Returns the records consumed.
     */
    private long awaitMidStream(LocalKafka kafka, String jobId, CurateConfig cfg) throws Exception {
        awaitCheckpoints(jobId, 2);
        long deadline = System.currentTimeMillis() + 120_000;
        long consumed;
        while ((consumed = consumed(kafka, cfg)) == 0) {
            assertTrue(System.currentTimeMillis() < deadline, "the job committed no input offsets");
            Thread.sleep(100);
        }
        assertTrue(consumed < N, "fault before the end of the input: " + consumed + " of " + N + " consumed");
        return consumed;
    }

    /** Every input id exactly once in the curated topic (read_committed), and no dead letter. */
    private void assertEveryIdExactlyOnce(LocalKafka kafka, CurateConfig cfg) throws InterruptedException {
        // the sinks commit on the checkpoint that also commits the offsets, not at the same instant
        long deadline = System.currentTimeMillis() + 60_000;
        List<CuratedRecord> curated = JobFixture.curated(kafka.bootstrapServers(), cfg.outputTopic());
        while (curated.size() < N && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            curated = JobFixture.curated(kafka.bootstrapServers(), cfg.outputTopic());
        }
        Set<Integer> ids = new HashSet<>();
        for (CuratedRecord r : curated) {
            assertTrue(ids.add(Integer.parseInt(r.id())), "item " + r.id() + " curated twice");
        }
        Set<Integer> missing = new TreeSet<>();
        for (int i = 0; i < N; i++) {
            if (!ids.contains(i)) {
                missing.add(i);
            }
        }
        assertEquals(Set.of(), missing, missing.size() + " items lost");
        assertEquals(N, curated.size());
        assertEquals(
                0,
                KafkaTestSupport.readAll(kafka.bootstrapServers(), cfg.deadLetterTopic())
                        .size(),
                "dead letters");
    }

    /** The compacted view of a changelog: the last value per key, a tombstone deletes. */
    private static Set<String> liveIds(LocalKafka kafka, String topic) {
        Map<String, byte[]> live = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(kafka.bootstrapServers(), topic)) {
            String id = new String(r.key(), StandardCharsets.UTF_8);
            if (r.value() == null) {
                live.remove(id);
            } else {
                live.put(id, r.value());
            }
        }
        return new TreeSet<>(live.keySet());
    }

    /** Kills -9 the TaskManager that runs the job's tasks (by the resource id the REST API reports) and starts another. */
    private void killTaskManager(String jobId) throws Exception {
        String vertex = probe().job(jobId).path("vertices").get(0).path("id").asText();
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        cluster.restUrl() + "/jobs/" + jobId + "/vertices/" + vertex + "/taskmanagers"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        String id = new ObjectMapper()
                .readTree(r.body())
                .path("taskmanagers")
                .get(0)
                .path("taskmanager-id")
                .asText();
        ProcessHandle tm = cluster.taskManagerPids().get(id);
        assertTrue(
                tm != null,
                "the job runs on " + id + ", one of "
                        + cluster.taskManagerPids().keySet());
        tm.destroyForcibly();
        tm.onExit().get(30, TimeUnit.SECONDS);
        cluster.addTaskManager();
    }

    private void assertRestarted(String jobId) {
        assertTrue(probe().jobFailures(jobId) >= 1, "the kill shows in the job's exception history");
        assertEquals("RUNNING", probe().jobState(jobId));
    }

    @Test
    @Order(2)
    void taskManagerKilledMidStreamCuratesEveryIdExactlyOnce(LocalKafka kafka) throws Exception {
        CurateConfig cfg = keepAll(kafka, "tm-kill");
        String job = submit(cfg, 2, null);
        // the job runs before the feed starts, so the fault lands while records flow through it
        awaitCheckpoints(job, 1);
        PacedFeed feed = new PacedFeed(fx, kafka.bootstrapServers(), cfg.inputTopic(), 3, RATE, HOLD).start();
        try {
            awaitMidStream(kafka, job, cfg);
            killTaskManager(job);
            feed.finish();
            GroupProgress.awaitCaughtUp(
                    kafka.bootstrapServers(),
                    cfg.groupId(),
                    cfg.inputTopic(),
                    Duration.ofMinutes(4),
                    Progress.silent());
            assertRestarted(job);
            assertEveryIdExactlyOnce(kafka, cfg);
        } finally {
            feed.release();
            cancelQuietly(job);
        }
    }

    @Test
    @Order(4)
    void taskManagerKilledMidStreamInExactModeLeavesTheBatchSelectionInTheChangelog(LocalKafka kafka) throws Exception {
        CurateConfig cfg = config(
                kafka,
                "tm-kill-exact",
                EmitMode.EXACT,
                LeafStrategy.CLOSEST,
                TARGET,
                Map.of("cleanup.policy", "compact"));
        String job = submit(cfg, 2, null);
        // the job runs before the feed starts, so the fault lands while records flow through it
        awaitCheckpoints(job, 1);
        PacedFeed feed = new PacedFeed(fx, kafka.bootstrapServers(), cfg.inputTopic(), 4, RATE, HOLD).start();
        try {
            awaitMidStream(kafka, job, cfg);
            killTaskManager(job);
            feed.finish();
            GroupProgress.awaitCaughtUp(
                    kafka.bootstrapServers(),
                    cfg.groupId(),
                    cfg.inputTopic(),
                    Duration.ofMinutes(4),
                    Progress.silent());
            assertRestarted(job);
            // the same selection code `strata select` runs, on the same data and model
            Set<String> batch = new TreeSet<>();
            for (int row : BalancedSelection.select(
                    fx.tree, fx.leaves.leaf(), fx.leaves.distanceSq(), TARGET, LeafStrategy.CLOSEST, cfg.seed())) {
                batch.add(Integer.toString(row));
            }
            long deadline = System.currentTimeMillis() + 60_000;
            Set<String> live = liveIds(kafka, cfg.outputTopic());
            while (!live.equals(batch) && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                live = liveIds(kafka, cfg.outputTopic());
            }
            assertEquals(batch, live);
            assertEquals(
                    0,
                    KafkaTestSupport.readAll(kafka.bootstrapServers(), cfg.deadLetterTopic())
                            .size(),
                    "dead letters");
        } finally {
            feed.release();
            cancelQuietly(job);
        }
    }

    private static final long HOUR = 3_600_000L;
    /** An hour boundary: the windowed test's windows are [BASE, BASE + 1h), ... */
    private static final long BASE = 1_700_000_000_000L / HOUR * HOUR;

    /** The windowed test's record timestamps: the feed's order spread evenly over three hours. */
    private static long hourly(int position) {
        return BASE + (long) (position * (3.0 * HOUR / N));
    }

    /** The window (0, 1, 2) of the record sent at {@code position}. */
    private static int windowAt(int position) {
        return (int) ((hourly(position) - BASE) / HOUR);
    }

    /**
     * Budgets per window through a TaskManager's kill -9: event time, one-hour windows over record
     * timestamps spread evenly over three hours, T = 100 of about 1333 items per window, V given.
     * The kill comes once window 0 has closed (its T is committed) and while window 1 is open (the
     * feed trickles in its middle), so the restore must bring back what window 1 has used: its
     * counters and reserves per (window, top cluster), its plan, the planner's arrivals and the
     * cap's count. Were that state not in the checkpoint, the rest of window 1 would be curated as a
     * fresh window, a second T on top of the half already committed (checked: with the windowed
     * operators' state names changed on a restart, window 1 delivered more than T). Each window
     * then delivers 0.98 T to T, balanced like the batch selection of its items, no id twice; the
     * record names its window.
     */
    @Test
    @Order(3)
    void taskManagerKilledMidWindowDeliversEachWindowsTargetOnce(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        long target = 100;
        CurateConfig base = fx.config(
                bs,
                KafkaTestSupport.newTopic(
                        bs, "tm-kill-win-in", 2, Map.of("retention.ms", "-1")), // 2023 timestamps: kept
                KafkaTestSupport.newTopic(bs, "tm-kill-win-out", 2, Map.of()),
                KafkaTestSupport.newTopic(bs, "tm-kill-win-dlq", 1, Map.of()),
                EmitMode.ADMISSION,
                LeafStrategy.RANDOM,
                target,
                N / 3,
                false);
        // the records come in timestamp order per partition: a short bound lets windows close mid-stream
        CurateConfig cfg = CurateConfig.of(
                        base.spec().with(Map.of("quota.window", "1h", "quota.allowedLateness", "1s")))
                .withModel(base.modelVersion(), base.modelDim());
        String job = submit(cfg, 2, null);
        awaitCheckpoints(job, 1);
        // the feed trickles from the middle of window 1 until released
        PacedFeed feed =
                new PacedFeed(fx, bs, cfg.inputTopic(), 9, RATE, N / 2, SessionClusterRecoveryIT::hourly).start();
        try {
            awaitMidStream(kafka, job, cfg);
            // window 0 closed and its top-up committed before the fault
            awaitWindow(kafka, cfg, 0, (long) Math.ceil(0.98 * target));
            assertTrue(feed.sent() < 2 * N / 3, "the fault lands while window 1 is open: " + feed.sent() + " sent");
            killTaskManager(job);
            feed.finish();
            // one record per partition in a fourth hour: the watermark passes window 2's end
            try (var p = KafkaTestSupport.producer(bs)) {
                for (int partition = 0; partition < 2; partition++) {
                    var e = dev.strata.records.RecordEncoder.encode(
                            new dev.strata.records.EmbeddingRecord(
                                    "end-" + partition, fx.data.points().row(0), null),
                            dev.strata.records.WireFormat.F32);
                    p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    cfg.inputTopic(),
                                    partition,
                                    BASE + 3 * HOUR + 10_000,
                                    e.key(),
                                    e.value(),
                                    e.headers()))
                            .get();
                }
            }
            GroupProgress.awaitCaughtUp(bs, cfg.groupId(), cfg.inputTopic(), Duration.ofMinutes(4), Progress.silent());
            assertRestarted(job);
            awaitWindow(kafka, cfg, 2, (long) Math.ceil(0.98 * target));

            Map<Integer, Integer> windowOf = new HashMap<>();
            List<List<Integer>> items = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int pos = 0; pos < N; pos++) {
                windowOf.put(feed.row(pos), windowAt(pos));
                items.get(windowAt(pos)).add(feed.row(pos));
            }
            List<Set<Integer>> curated = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>());
            for (CuratedRecord r : settledCurated(kafka, cfg.outputTopic())) {
                if (r.id().startsWith("end-")) {
                    continue; // the records that closed window 2 open window 3
                }
                int row = Integer.parseInt(r.id());
                int w = windowOf.get(row);
                assertEquals(BASE + w * HOUR, r.windowStart(), "item " + row + " names its window");
                assertTrue(curated.get(w).add(row), "item " + row + " curated twice");
            }
            for (int w = 0; w < 3; w++) {
                Set<Integer> ids = curated.get(w);
                assertTrue(
                        ids.size() >= 0.98 * target && ids.size() <= target,
                        "window " + w + ": curated " + ids.size() + " of target " + target);
                List<Integer> rows = items.get(w);
                int[] leafOf = new int[rows.size()];
                float[] dist = new float[rows.size()];
                for (int k = 0; k < leafOf.length; k++) {
                    leafOf[k] = fx.leaves.leaf()[rows.get(k)];
                    dist[k] = fx.leaves.distanceSq()[rows.get(k)];
                }
                List<Integer> batch = new ArrayList<>();
                for (int k : BalancedSelection.select(fx.tree, leafOf, dist, target, LeafStrategy.RANDOM, 0)) {
                    batch.add(rows.get(k));
                }
                double hs = dev.strata.model.LevelStats.normalizedEntropy(fx.perTop(fx.perLeaf(ids)));
                double hb = dev.strata.model.LevelStats.normalizedEntropy(fx.perTop(fx.perLeaf(batch)));
                assertTrue(
                        Math.abs(hs - hb) <= 0.01,
                        "window " + w + ": entropy over top clusters: stream " + hs + ", batch " + hb);
            }
            assertEquals(0, KafkaTestSupport.readAll(bs, cfg.deadLetterTopic()).size(), "dead letters");
        } finally {
            feed.release();
            cancelQuietly(job);
        }
    }

    /** Waits until at least {@code count} committed curated records name window {@code w} (hours from BASE). */
    private static void awaitWindow(LocalKafka kafka, CurateConfig cfg, int w, long count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            long n = JobFixture.curated(kafka.bootstrapServers(), cfg.outputTopic()).stream()
                    .filter(r -> r.windowStart() != null && r.windowStart() == BASE + w * HOUR)
                    .count();
            if (n >= count) {
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "window " + w + " curated only " + n + " of " + count);
            Thread.sleep(300);
        }
    }

    // last: a broker recovering from kill -9 under load can be slow to serve transactions again
    @Test
    @Order(6)
    void brokerKilledDuringProductionLosesAndDuplicatesNothing(LocalKafka kafka) throws Exception {
        CurateConfig cfg = keepAll(kafka, "broker-kill");
        String job = submit(cfg, 2, null);
        // the job runs before the feed starts, so the kill lands while records flow from producer to sink
        awaitCheckpoints(job, 1);
        PacedFeed feed = new PacedFeed(fx, kafka.bootstrapServers(), cfg.inputTopic(), 6, RATE, HOLD).start();
        try {
            awaitMidStream(kafka, job, cfg);
            int sentAtKill = feed.sent();
            assertTrue(sentAtKill < N, "killed during production: " + sentAtKill + " of " + N + " sent");
            long pid = Long.parseLong(Files.readString(kafka.pidFile()).trim());
            ProcessHandle broker = ProcessHandle.of(pid).orElseThrow();
            broker.destroyForcibly();
            broker.onExit().get(30, TimeUnit.SECONDS);
            kafka.start(); // the same port and data dir: the log and the transaction state are recovered from disk
            assertTrue(kafka.status().pid().getAsLong() != pid, "a new broker process");
            feed.finish();
            GroupProgress.awaitCaughtUp(
                    kafka.bootstrapServers(),
                    cfg.groupId(),
                    cfg.inputTopic(),
                    Duration.ofMinutes(4),
                    Progress.silent());
            assertEquals("RUNNING", probe().jobState(job));
            assertEveryIdExactlyOnce(kafka, cfg);
        } finally {
            feed.release();
            kafka.start(); // a no-op when it answers; the broker is shared with every later test class
            cancelQuietly(job);
        }
    }

    /** The highest chk-N of a job's checkpoint folder that has its _metadata: what the runbook resumes from. */
    private static Path latestRetainedCheckpoint(Path jobCheckpoints) throws Exception {
        try (Stream<Path> s = Files.list(jobCheckpoints)) {
            return s.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(
                            p -> Long.parseLong(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint in " + jobCheckpoints));
        }
    }

    private static Map<String, Long> pids(Map<String, ProcessHandle> processes) {
        Map<String, Long> out = new TreeMap<>();
        processes.forEach((name, h) -> out.put(name, h.pid()));
        return out;
    }

    @Test
    @Order(5)
    void jobManagerKilledMidStreamResumesFromTheLatestRetainedCheckpointExactlyOnce(LocalKafka kafka) throws Exception {
        CurateConfig cfg = keepAll(kafka, "jm-kill");
        String job = submit(cfg, 2, null);
        // the job runs before the feed starts, so the fault lands while records flow through it
        awaitCheckpoints(job, 1);
        PacedFeed feed = new PacedFeed(fx, kafka.bootstrapServers(), cfg.inputTopic(), 8, RATE, HOLD).start();
        String resumed = null;
        try {
            awaitMidStream(kafka, job, cfg);
            Map<String, Long> taskManagers = pids(cluster.taskManagerPids());
            ProcessHandle jm = cluster.jobManagerPid().orElseThrow();
            jm.destroyForcibly();
            jm.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(probe().answers(), "the JobManager is gone");
            // no HA: the job dies with its JobManager; `strata cluster start` brings a new one on the same ports
            cluster.start(1);
            jarId = null;
            assertEquals(
                    taskManagers,
                    pids(cluster.taskManagerPids()),
                    "the surviving TaskManager is kept, none started beside it");
            Path checkpoint = latestRetainedCheckpoint(checkpointDir(cfg).resolve(job));
            feed.release();
            resumed = submit(cfg, 2, checkpoint.toUri().toString());
            feed.finish();
            GroupProgress.awaitCaughtUp(
                    kafka.bootstrapServers(),
                    cfg.groupId(),
                    cfg.inputTopic(),
                    Duration.ofMinutes(4),
                    Progress.silent());
            JsonNode restored = probe().jobCheckpoints(resumed).path("latest").path("restored");
            assertEquals(
                    Long.parseLong(checkpoint.getFileName().toString().substring(4)),
                    restored.path("id").asLong(),
                    "resumed from " + checkpoint + ": " + restored);
            assertEveryIdExactlyOnce(kafka, cfg);
        } finally {
            feed.release();
            if (resumed != null) {
                cancelQuietly(resumed);
            }
        }
    }

    @Test
    @Order(1)
    void savepointAndRescaleCarryCountersAndQuotasOver(LocalKafka kafka) throws Exception {
        CurateConfig cfg = admission(kafka, "rescale");
        fx.produce(kafka.bootstrapServers(), cfg.inputTopic(), 0, N / 2, 4, 0);
        String first = submit(cfg, 2, null);
        String savepoint;
        try {
            GroupProgress.awaitCaughtUp(
                    kafka.bootstrapServers(),
                    cfg.groupId(),
                    cfg.inputTopic(),
                    Duration.ofMinutes(3),
                    Progress.silent());
            long acceptedBefore = settledCurated(kafka, cfg.outputTopic()).size();
            assertTrue(acceptedBefore > 0 && acceptedBefore < TARGET, "half the stream curated " + acceptedBefore);
            savepoint = probe().stopWithSavepoint(
                            first, dir.resolve("savepoints").toUri().toString());
        } finally {
            cancelQuietly(first);
        }

        fx.produce(kafka.bootstrapServers(), cfg.inputTopic(), N / 2, N, 5, 0);
        String second = submit(cfg, 1, savepoint);
        try {
            GroupProgress.awaitCaughtUp(
                    kafka.bootstrapServers(),
                    cfg.groupId(),
                    cfg.inputTopic(),
                    Duration.ofMinutes(3),
                    Progress.silent());
            JsonNode vertices = probe().job(second).path("vertices");
            boolean sawSelection = false;
            for (JsonNode v : vertices) {
                if (v.path("name").asText().contains("Admission")) {
                    assertEquals(1, v.path("parallelism").asInt(), "rescaled to 1");
                    sawSelection = true;
                }
            }
            assertTrue(sawSelection);
            // had the counters restarted from zero, leaves would accept again and overshoot the target
            assertCuratedOnceWithinQuotas(kafka, cfg);
        } finally {
            cancelQuietly(second);
        }
    }
}
