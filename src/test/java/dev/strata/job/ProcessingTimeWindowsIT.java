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
import java.util.HashMap;
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
 * job (MiniCluster, RocksDB, exactly-once sinks): ten-second windows on the job's clock, V left to
 * the arrival rate. A trickle of items (20/s) runs throughout, as a crawl would; on top of it the
 * test sends chunks of 400 items, each just after a window boundary. A chunk whose offsets the job
 * has committed before that window ends was assigned (its items stamped) inside it, so that window
 * received at least the chunk. Nothing here depends on how fast the machine is: a chunk that took
 * longer (a loaded machine) may straddle two windows and is only held to "at most T"; the test
 * sends chunks until two have each landed whole in a window.
 *
 * <p>Checked: no window delivers more than T; a window that received a whole chunk (400 items,
 * T = 50) delivers 0.98 T to T; windows close on the clock (the last ones with nobody sending); no
 * id twice; and every (window, top cluster) key that curated an item has had its state cleared,
 * with none held once every window has closed.
 */
@ExtendWith(SharedKafka.class)
class ProcessingTimeWindowsIT {
    private static final int N = 3000;
    private static final int DIM = 16;
    private static final int CHUNK = 400;
    /** Rows [0, CHUNK_ROWS) go in chunks, the rest in the trickle. */
    private static final int CHUNK_ROWS = 2000;

    private static final long TARGET = 50;
    private static final long WINDOW_MILLIS = 10_000;
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
                        "quota.window", "10s",
                        "quota.windowTime", "processing")))
                .withModel(fx.tree.version(), DIM);
        int restPort = SharedKafka.freePort();
        Trickle trickle = new Trickle(bs, in);
        JobClient job = JobRuntime.startLocal(
                cfg, fx.tree.top().clusters(), 2, dir.resolve("cp").toString(), 500, restPort);
        try {
            // the crawl's trickle keeps the source polling: an idle Kafka source commits its offsets
            // only when its poll returns, up to 10 s later (Flink's KafkaPartitionSplitReader)
            trickle.start();
            // window start -> the chunk that landed whole in it
            Map<Long, Integer> whole = new TreeMap<>();
            for (int chunk = 0; whole.size() < WANTED_WINDOWS; chunk++) {
                assertTrue(
                        (chunk + 1) * CHUNK <= CHUNK_ROWS,
                        "only " + whole.size() + " of " + chunk + " chunks were assigned within one window");
                long now = System.currentTimeMillis();
                long boundary = now - Math.floorMod(now, WINDOW_MILLIS) + WINDOW_MILLIS;
                Thread.sleep(boundary + AFTER_BOUNDARY_MILLIS - now);
                long sendStart = System.currentTimeMillis();
                long windowStart = sendStart - Math.floorMod(sendStart, WINDOW_MILLIS);
                List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> acks =
                        new ArrayList<>();
                try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
                    for (int r = chunk * CHUNK; r < (chunk + 1) * CHUNK; r++) {
                        acks.add(p.send(fx.record(in, r)));
                    }
                }
                Map<Integer, Long> last = new HashMap<>();
                for (var a : acks) {
                    // a record the producer lost would read as one the job lost
                    var m = a.get();
                    last.merge(m.partition(), m.offset() + 1, Math::max);
                }
                awaitCommitted(bs, group, in, last);
                // committed: a checkpoint after every item of the chunk completed, so each was
                // stamped between the send and now; before the window's end, all in this window
                long committedAt = System.currentTimeMillis();
                System.out.printf(
                        "chunk %d: sent %d ms into window %d, committed %d ms into it%n",
                        chunk, sendStart - windowStart, windowStart, committedAt - windowStart);
                if (committedAt < windowStart + WINDOW_MILLIS) {
                    whole.put(windowStart, chunk);
                }
            }
            trickle.stop();

            // the windows close on the clock alone: nothing is sent any more
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
                        rows.stream().allMatch(r -> r >= CHUNK_ROWS || r / CHUNK == chunk),
                        "window " + e.getKey() + " holds chunk " + chunk + " and the trickle only: " + rows);
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
            trickle.stopped = true;
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

    /** Waits until the group has committed at least {@code offsets} of each partition. */
    private static void awaitCommitted(String bs, String group, String topic, Map<Integer, Long> offsets)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            Map<Integer, Long> done = GroupProgress.committedOffsets(KafkaConnection.plain(bs), group, topic);
            if (offsets.entrySet().stream().allMatch(e -> done.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "the job did not commit " + offsets + ": " + done);
            Thread.sleep(50);
        }
    }

    /** The crawl's steady trickle: rows from {@link #CHUNK_ROWS} on, 20 a second, on its own thread. */
    private static final class Trickle {
        private final String bs;
        private final String topic;
        private final Thread thread;
        private volatile boolean stopped;
        private final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();

        Trickle(String bs, String topic) {
            this.bs = bs;
            this.topic = topic;
            this.thread = new Thread(this::run, "trickle-" + topic);
            thread.setDaemon(true);
        }

        Trickle start() {
            thread.start();
            return this;
        }

        private void run() {
            try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
                for (int r = CHUNK_ROWS; r < N && !stopped; r++) {
                    p.send(fx.record(topic, r), (m, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                    Thread.sleep(50);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join(30_000);
            if (failure.get() != null) {
                throw new AssertionError("the trickle to " + topic + " failed", failure.get());
            }
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
