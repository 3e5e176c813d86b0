package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.StrataException;
import dev.strata.flink.rest.FlinkRest;
import dev.strata.flink.rest.PathPrefixProxy;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.kafka.KafkaTopics;
import dev.strata.local.LocalFlinkCluster;
import dev.strata.local.LocalKafka;
import dev.strata.local.ProjectHome;
import dev.strata.local.SharedKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JobManager behind an ingress with a path prefix: the real session cluster served only under
 * {@code /my-cluster/} by a reverse proxy. Every command that talks to the JobManager works
 * through it: `submit` (plain REST: jar upload and run), the job's status, `savepoint` and
 * `stop --savepoint` (Flink's RestClusterClient), and not one request leaves the prefix.
 */
@ExtendWith(SharedKafka.class)
class JobManagerBehindPrefixIT {
    @TempDir
    static Path dir;

    static LocalFlinkCluster cluster;

    @BeforeAll
    static void start() {
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

    @Test
    void submitStatusSavepointAndStopGoThroughThePathPrefix(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "prefix-in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "prefix-out", 1, Map.of());
        KafkaTopics.createTopics(bs, List.of(new NewTopic(in + ".dlq", 1, (short) 1)));
        Path job = dir.resolve("prefix.yaml");
        Files.writeString(
                job,
                "job: curate\nname: prefix\nparallelism: 1\nkafka:\n  bootstrapServers: " + bs + "\n  inputTopic: "
                        + in + "\n  outputTopic: " + out + "\n  deadLetterTopic: " + in + ".dlq\n  groupId: prefix-"
                        + System.nanoTime() + "\nmodel: " + TestModels.dim8(dir) + "\nquota:\n  target: 10\n"
                        + "  expectedVolume: 100\n");
        try (PathPrefixProxy proxy = PathPrefixProxy.start("/my-cluster", cluster.restUrl())) {
            String url = proxy.url();
            CliRun submit = CliRun.of("submit", job.toString(), "--jobmanager", url);
            assertEquals(0, submit.exit(), submit.err());
            Matcher m = Pattern.compile("as job ([0-9a-f]{32})").matcher(submit.out());
            assertTrue(m.find(), submit.out());
            String jobId = m.group(1);
            assertTrue(submit.out().contains(url.substring(0, url.length() - 1) + "/#/job/running/"), submit.out());

            FlinkRest rest = new FlinkRest(url);
            awaitAllTasksRunning(rest, jobId);
            assertEquals("RUNNING", rest.jobState(jobId));

            CliRun savepoint = CliRun.of("savepoint", jobId, "--jobmanager", url);
            assertEquals(0, savepoint.exit(), savepoint.err());
            assertTrue(Files.isDirectory(Path.of(URI.create(savepoint.out().strip()))), savepoint.out());

            CliRun stop = CliRun.of("stop", jobId, "--savepoint", "--jobmanager", url);
            assertEquals(0, stop.exit(), stop.err());
            assertTrue(Files.isDirectory(Path.of(URI.create(stop.out().strip()))), stop.out());
            assertEquals("FINISHED", rest.jobState(jobId));

            assertEquals(List.of(), proxy.refused(), "requests that left the prefix");
            List<String> seen = proxy.forwarded();
            // Flink's client puts its API version (/v1) after the prefix; the plain calls use none
            for (String call : List.of(
                    "POST /jars/upload",
                    "GET /v1/jobs/" + jobId + "/status",
                    "POST /v1/jobs/" + jobId + "/savepoints",
                    "POST /v1/jobs/" + jobId + "/stop")) {
                assertTrue(seen.contains(call), call + " not through the proxy: " + seen);
            }
        }
    }

    /**
     * Behind TLS with a self-signed certificate, trusted through Flink's own setting
     * (security.ssl.rest.truststore): the plain calls (the overview submit starts with) and Flink's
     * client (a job's status: Flink's own refusal of a job it does not know, so the handshake and
     * the prefix worked) both go through; without the trust store neither does.
     */
    @Test
    void httpsWithAPrivateCaTrustedThroughFlinksTruststoreSetting() throws Exception {
        BrokerCertificate cert = BrokerCertificate.create(dir, "proxy-pass");
        Path trust = cert.truststore(dir.resolve("rest-trust.p12"), "trust-pass");
        String unknownJob = "0123456789abcdef0123456789abcdef";
        try (PathPrefixProxy proxy =
                PathPrefixProxy.startTls("/my-cluster", cluster.restUrl(), cert.keystore(), cert.password())) {
            assertTrue(proxy.url().startsWith("https://"), proxy.url());
            Configuration flink = new Configuration();
            flink.set(SecurityOptions.SSL_REST_TRUSTSTORE, trust.toString());
            flink.set(SecurityOptions.SSL_REST_TRUSTSTORE_PASSWORD, "trust-pass");
            flink.set(SecurityOptions.SSL_REST_TRUSTSTORE_TYPE, "PKCS12");
            FlinkRest rest = new FlinkRest(proxy.url(), flink);
            assertTrue(rest.overview().has("taskmanagers"), "the overview through TLS and the prefix");
            StrataException notFound = assertThrows(StrataException.class, () -> rest.jobState(unknownJob));
            assertTrue(notFound.getMessage().startsWith("Flink refused to read the status"), notFound.getMessage());
            assertTrue(
                    proxy.forwarded().contains("GET /v1/jobs/" + unknownJob + "/status"),
                    "Flink's client through TLS and the prefix: " + proxy.forwarded());
            assertEquals(List.of(), proxy.refused());

            // the self-signed certificate is not trusted without the setting: both kinds of call fail
            FlinkRest untrusting = new FlinkRest(proxy.url(), new Configuration());
            assertThrows(StrataException.class, untrusting::overview);
            int forwarded = proxy.forwarded().size();
            assertThrows(StrataException.class, () -> untrusting.jobState(unknownJob));
            assertEquals(forwarded, proxy.forwarded().size(), "no request passed the handshake");
        }
    }

    @Test
    void aJobManagerThatIsNotAnHttpUrlStopsTheCommandWithOneLine() {
        for (String bad : List.of("flink.example.com:8081", "ftp://flink.example.com/", "http://h:1/x?y=1")) {
            CliRun stop = CliRun.of("stop", "0123456789abcdef0123456789abcdef", "--jobmanager", bad);
            assertNotEquals(0, stop.exit());
            assertTrue(stop.oneLineError(), stop.err());
            assertTrue(stop.err().contains("JobManager URL '" + bad + "'"), stop.err());
            assertTrue(stop.err().contains("https://HOST/PATH/"), stop.err());
        }
    }

    private static void awaitAllTasksRunning(FlinkRest rest, String jobId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            JsonNode vertices = rest.job(jobId).path("vertices");
            boolean running = vertices.size() > 0;
            for (JsonNode v : vertices) {
                running &= v.path("status").asText().equals("RUNNING");
            }
            if (running) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "tasks not running: " + vertices);
            Thread.sleep(300);
        }
    }
}
