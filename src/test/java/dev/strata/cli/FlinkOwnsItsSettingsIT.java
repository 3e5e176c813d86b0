package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.flink.rest.FlinkJobProbe;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.kafka.KafkaTopics;
import dev.strata.local.LocalFlinkCluster;
import dev.strata.local.LocalKafka;
import dev.strata.local.ProjectHome;
import dev.strata.local.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real session cluster (JobManager and TaskManager JVMs, flink-jobs/cluster/config.yaml with
 * parallelism.default 2 and its checkpoint settings): a job file that leaves Flink's settings out
 * runs with what Flink's own client and the cluster say, and client secrets given to `strata submit`
 * never show on the dashboard or in the cluster's logs.
 */
@ExtendWith(SharedKafka.class)
class FlinkOwnsItsSettingsIT {
    private static final String SECRET = "truststore-secret-9f27c4";

    @TempDir
    static Path dir;

    static LocalFlinkCluster cluster;
    static Path model;

    @BeforeAll
    static void start() {
        model = TestModels.dim8(dir);
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

    /** A job file with no parallelism, checkpointing or restart keys. */
    private static Path jobFile(LocalKafka kafka, String name) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, name + "-in", 2, Map.of());
        String out = KafkaTestSupport.newTopic(bs, name + "-out", 2, Map.of());
        KafkaTopics.createTopics(bs, List.of(new NewTopic(in + ".dlq", 1, (short) 1)));
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(
                f,
                "job: curate\nname: " + name + "\nkafka:\n  bootstrapServers: " + bs + "\n  inputTopic: " + in
                        + "\n  outputTopic: " + out + "\n  deadLetterTopic: " + in + ".dlq\nmodel: " + model
                        + "\nquota:\n  target: 10\n  expectedVolume: 100\n");
        return f;
    }

    /** `flink run -p 1` (Flink's CliFrontend, the class bin/flink runs) wins over the cluster's parallelism.default 2. */
    @Test
    void flinksOwnClientDecidesParallelismAndTheClusterTheCheckpoints(LocalKafka kafka) throws Exception {
        Path job = jobFile(kafka, "cli-p1");
        Process p = cluster.flinkCli(List.of(
                        "run",
                        "-d",
                        "-p",
                        "1",
                        "-c",
                        SubmitCommand.ENTRY_CLASS,
                        ProjectHome.find().resolve("target/strata-job.jar").toString(),
                        "--config",
                        job.toString()))
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "flink run did not return");
        assertEquals(0, p.exitValue(), printed);
        Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(printed);
        assertTrue(m.find(), printed);
        String jobId = m.group(1);
        FlinkJobProbe rest = new FlinkJobProbe(cluster.restUrl());
        try {
            JsonNode vertices = rest.job(jobId).path("vertices");
            assertTrue(vertices.size() >= 3, vertices.toString());
            for (JsonNode v : vertices) {
                assertEquals(
                        1,
                        v.path("parallelism").asInt(),
                        v.path("name").asText() + " runs at " + v.path("parallelism"));
            }
            // the job file names no checkpoint settings: the cluster's config.yaml decides
            JsonNode cp = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(rest.raw("/jobs/" + jobId + "/checkpoints/config"));
            assertEquals(5000, cp.path("interval").asLong(), cp.toString());
            assertEquals(240_000, cp.path("timeout").asLong(), cp.toString());
        } finally {
            cancel(rest, jobId);
        }
    }

    /**
     * `strata submit --kafka-config` with a secret written out in the file: the job carries a
     * reference to the file, its clients read the secret from it (the job checkpoints, so source
     * and sinks started), and the secret is in no REST answer about the job and no cluster log.
     */
    @Test
    void secretsOfAClientPropertiesFileNeverReachTheDashboardOrTheLogs(LocalKafka kafka) throws Exception {
        Path job = jobFile(kafka, "secret");
        Path props = dir.resolve("client.properties");
        Files.writeString(props, "security.protocol=PLAINTEXT\nssl.truststore.password=" + SECRET + "\n");
        CliRun submit = CliRun.of(
                "submit", job.toString(), "--kafka-config", props.toString(), "--jobmanager", cluster.restUrl());
        assertEquals(0, submit.exit(), submit.err());
        Matcher m = Pattern.compile("as job ([0-9a-f]{32})").matcher(submit.out());
        assertTrue(m.find(), submit.out());
        String jobId = m.group(1);
        FlinkJobProbe rest = new FlinkJobProbe(cluster.restUrl());
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (rest.jobCheckpoints(jobId).path("counts").path("completed").asInt() < 1) {
                assertTrue(
                        System.nanoTime() < deadline,
                        "no checkpoint completed: " + rest.job(jobId).path("state"));
                Thread.sleep(300);
            }
            assertEquals(0, rest.jobFailures(jobId), "the job failed: its clients could not read the secret file?");
            // neither file nor flags set a parallelism: the cluster's parallelism.default (2)
            for (JsonNode v : rest.job(jobId).path("vertices")) {
                if (v.path("name").asText().contains("Source")) {
                    assertEquals(2, v.path("parallelism").asInt());
                }
            }
            StringBuilder seen = new StringBuilder(submit.out()).append(submit.err());
            for (String path : List.of(
                    "/jobs/" + jobId,
                    "/jobs/" + jobId + "/config",
                    "/jobs/" + jobId + "/jobmanager/config",
                    "/jobs/" + jobId + "/plan",
                    "/jobs/" + jobId + "/exceptions",
                    "/jobmanager/config",
                    "/jobs/" + jobId + "/checkpoints/config")) {
                seen.append(rest.raw(path));
            }
            try (DirectoryStream<Path> logs =
                    Files.newDirectoryStream(cluster.dataDir().resolve("log"))) {
                for (Path log : logs) {
                    seen.append(Files.readString(log, StandardCharsets.ISO_8859_1));
                }
            }
            assertFalse(seen.toString().contains(SECRET), "the secret shows on the dashboard or in a log");
        } finally {
            cancel(rest, jobId);
        }
    }

    private static void cancel(FlinkJobProbe rest, String jobId) throws InterruptedException {
        rest.cancel(jobId);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!rest.jobState(jobId).equals("CANCELED") && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
    }
}
