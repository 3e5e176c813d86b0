package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.flink.rest.FlinkJobProbe;
import dev.strata.kafka.GroupProgress;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.records.CuratedRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets per window in processing time, end to end on a real broker and a real unbounded Flink
 * job (MiniCluster, RocksDB, exactly-once sinks): four-second windows on the job's clock, V left to
 * the arrival rate. The test paces the stream in chunks of 400 items, each sent just after a window
 * boundary; a chunk whose offsets the job has committed before that window ends was assigned (its
 * items stamped) inside it, so that window holds exactly that chunk. Nothing here depends on how
 * fast the machine is: a chunk that took longer (a loaded machine) may straddle two windows and is
 * only held to "at most T"; the test sends chunks until two have each had a window to themselves.
 *
 * <p>Checked: windows close on the clock with nobody sending (each chunk's window tops up to its T
 * once its end has passed, with no later record to move a watermark); no window delivers more
 * than T; a window that received a whole chunk (400 items, T = 50) delivers 0.98 T to T, of that
 * chunk's items only; no id twice; and every (window, top cluster) key that curated an item has
 * had its state cleared, with none held once every window has closed.
 */
@ExtendWith(SharedKafka.class)
class ProcessingTimeWindowsIT {
    private static final int N = 3000;
    private static final int DIM = 16;
    private static final int CHUNK = 400;
    private static final long TARGET = 50;
    private static final long WINDOW_MILLIS = 4000;
    /** How far after a window boundary a chunk is sent: clear of the boundary itself. */
    private static final long AFTER_BOUNDARY_MILLIS = 200;

    private static final int WANTED_WINDOWS = 2;

    @TempDir
    static Path dir;

    static JobFixture fx;

    @BeforeAll
    static void buildModel() {
        fx = new JobFixture(dir, N, DIM, 11);
    }

    @Test
    void windowsCloseOnTheClockEachWithAtMostItsTargetAndTheirStateCleared(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "ptime-in", 2, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "ptime-curated", 2, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "ptime-dlq", 1, Map.of());
        String group = "it-" + out;
        CurateConfig cfg = CurateConfig.of(CurateSpec.of(Map.of(
                        "kafka.bootstrapServers", bs,
                        "kafka.inputTopic", in,
                        "kafka.outputTopic", out,
                        "kafka.deadLetterTopic", dlq,
                        "kafka.groupId", group,
                        "kafka.transactionalIdPrefix", group,
                        "model", fx.modelPath.toString(),
                        "quota.target", TARGET,
                        "quota.window", "4s",
                        "quota.windowTime", "processing")))
                .withModel(fx.tree.version(), DIM);
        int restPort = SharedKafka.freePort();
        JobClient job = JobRuntime.startLocal(
                cfg, fx.tree.top().clusters(), 2, dir.resolve("cp").toString(), 500, restPort);
        try {
            // window start -> the chunk that had it to itself
            Map<Long, Integer> whole = new TreeMap<>();
            int sent = 0;
            for (int chunk = 0; whole.size() < WANTED_WINDOWS; chunk++) {
                assertTrue(
                        (chunk + 1) * CHUNK <= N,
                        "only " + whole.size() + " of " + chunk + " chunks were assigned within one window");
                long now = System.currentTimeMillis();
                long boundary = now - Math.floorMod(now, WINDOW_MILLIS) + WINDOW_MILLIS;
                Thread.sleep(boundary + AFTER_BOUNDARY_MILLIS - now);
                long sendStart = System.currentTimeMillis();
                long windowStart = sendStart - Math.floorMod(sendStart, WINDOW_MILLIS);
                List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
                try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
                    for (int r = chunk * CHUNK; r < (chunk + 1) * CHUNK; r++) {
                        acks.add(p.send(fx.record(in, r)));
                    }
                }
                for (java.util.concurrent.Future<?> a : acks) {
                    a.get(); // a record the producer lost would read as one the job lost
                }
                sent += CHUNK;
                awaitCommitted(bs, group, in, sent);
                // committed: a checkpoint after every item of the chunk completed, so each was
                // stamped between the send and now; before the window's end, all in this window
                if (System.currentTimeMillis() < windowStart + WINDOW_MILLIS) {
                    whole.put(windowStart, chunk);
                }
            }

            // the windows close on the clock alone: no record comes after the last chunk
            for (long w : whole.keySet()) {
                awaitWindow(bs, out, w, (long) Math.ceil(0.98 * TARGET));
            }
            List<CuratedRecord> curated = settled(bs, out);
            Map<Long, List<Integer>> byWindow = new TreeMap<>();
            Set<String> ids = new HashSet<>();
            Set<String> keys = new HashSet<>();
            for (CuratedRecord r : curated) {
                assertTrue(ids.add(r.id()), "item " + r.id() + " curated twice");
                assertNotNull(r.windowStart(), "a windowed job's record names its window: " + r);
                byWindow.computeIfAbsent(r.windowStart(), w -> new ArrayList<>())
                        .add(Integer.parseInt(r.id()));
                keys.add(r.windowStart() + "/" + r.topCluster());
            }
            for (Map.Entry<Long, List<Integer>> e : byWindow.entrySet()) {
                assertTrue(
                        e.getValue().size() <= TARGET,
                        "window " + e.getKey() + " curated " + e.getValue().size() + " > T = " + TARGET);
            }
            for (Map.Entry<Long, Integer> e : whole.entrySet()) {
                List<Integer> rows = byWindow.getOrDefault(e.getKey(), List.of());
                int chunk = e.getValue();
                assertTrue(
                        rows.size() >= 0.98 * TARGET,
                        "window " + e.getKey() + " (chunk " + chunk + ") curated " + rows.size() + " of " + TARGET);
                assertTrue(
                        rows.stream().allMatch(r -> r / CHUNK == chunk),
                        "window " + e.getKey() + " holds only chunk " + chunk + ": " + rows);
            }

            // state cleared: every key that curated an item was closed, none is held any more
            FlinkJobProbe probe = new FlinkJobProbe("http://127.0.0.1:" + restPort);
            String jobId = job.getJobID().toHexString();
            long deadline = System.currentTimeMillis() + 90_000;
            long held;
            long closed;
            do {
                Thread.sleep(1000);
                held = metricSum(probe, jobId, "windowKeys");
                closed = metricSum(probe, jobId, "windowKeysClosed");
            } while ((held != 0 || closed < keys.size()) && System.currentTimeMillis() < deadline);
            assertEquals(0, held, "(window, top cluster) keys still held after every window closed");
            assertTrue(closed >= keys.size(), closed + " keys closed, " + keys.size() + " curated items");
            assertEquals(0, KafkaTestSupport.readAll(bs, dlq).size(), "dead letters");
        } finally {
            job.cancel().get();
        }
    }

    /** A metric of the strata group summed over every subtask of every vertex; -1 until the REST API has it. */
    private static long metricSum(FlinkJobProbe probe, String jobId, String name) {
        ObjectMapper json = new ObjectMapper();
        long sum = 0;
        boolean found = false;
        try {
            for (JsonNode v : probe.job(jobId).path("vertices")) {
                String base = "/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/metrics";
                List<String> wanted = new ArrayList<>();
                for (JsonNode m : json.readTree(probe.raw(base))) {
                    if (m.path("id").asText().endsWith(".strata." + name)) {
                        wanted.add(m.path("id").asText());
                    }
                }
                if (wanted.isEmpty()) {
                    continue;
                }
                String get = URLEncoder.encode(String.join(",", wanted), StandardCharsets.UTF_8);
                for (JsonNode m : json.readTree(probe.raw(base + "?get=" + get))) {
                    sum += (long) Double.parseDouble(m.path("value").asText());
                    found = true;
                }
            }
        } catch (Exception e) {
            return -1; // the dashboard has not fetched the metrics yet
        }
        return found ? sum : -1;
    }

    private static void awaitCommitted(String bs, String group, String topic, long records)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (GroupProgress.committedOffsets(KafkaConnection.plain(bs), group, topic).values().stream()
                        .mapToLong(Long::longValue)
                        .sum()
                < records) {
            assertTrue(System.currentTimeMillis() < deadline, "the job did not commit " + records + " records");
            Thread.sleep(50);
        }
    }

    private static void awaitWindow(String bs, String topic, long window, long count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            long n = JobFixture.curated(bs, topic).stream()
                    .filter(r -> r.windowStart() != null && r.windowStart() == window)
                    .count();
            if (n >= count) {
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "window " + window + " curated only " + n);
            Thread.sleep(300);
        }
    }

    /** The committed curated records once two reads a second apart agree. */
    private static List<CuratedRecord> settled(String bs, String topic) throws InterruptedException {
        List<CuratedRecord> last = JobFixture.curated(bs, topic);
        for (int i = 0; i < 30; i++) {
            Thread.sleep(1000);
            List<CuratedRecord> now = JobFixture.curated(bs, topic);
            if (now.size() == last.size()) {
                return now;
            }
            last = now;
        }
        return last;
    }
}
