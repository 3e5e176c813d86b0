package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.local.ProjectHome;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** Every way the job runs restarts a bounded number of times: embedded, the local session cluster, Kubernetes. */
class RestartPolicyTest {
    private static final String ATTEMPTS = "restart-strategy.exponential-delay.attempts-before-reset-backoff";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void embeddedRunsRestartABoundedNumberOfTimes() {
        Map<String, String> s = RestartPolicy.settings();
        assertEquals("exponential-delay", s.get("restart-strategy.type"));
        assertEquals(Integer.toString(RestartPolicy.ATTEMPTS), s.get(ATTEMPTS));
        Configuration local = JobRuntime.localConfiguration(
                CurateSpec.of(Map.of(
                        "kafka.inputTopic", "in", "kafka.outputTopic", "out", "model", "m", "quota.keepFraction", 0.1)),
                0,
                null);
        assertEquals(Integer.toString(RestartPolicy.ATTEMPTS), local.toMap().get(ATTEMPTS));
    }

    @Test
    void theShippedClusterConfigurationsBoundTheirRestartsToo() throws IOException {
        JsonNode session = YAML.readTree(
                ProjectHome.find().resolve("flink-jobs/cluster/config.yaml").toFile());
        assertBounded(session, "flink-jobs/cluster/config.yaml");
        JsonNode k8s = null;
        for (JsonNode doc : YAML.readerFor(JsonNode.class)
                .<JsonNode>readValues(ProjectHome.find()
                        .resolve("k8s/flink/curate-deployment.yaml")
                        .toFile())
                .readAll()) {
            if (doc.path("kind").asText().equals("FlinkDeployment")) {
                k8s = doc.at("/spec/flinkConfiguration");
            }
        }
        assertBounded(k8s, "k8s/flink/curate-deployment.yaml");
    }

    private static void assertBounded(JsonNode conf, String where) {
        assertEquals("exponential-delay", conf.path("restart-strategy.type").asText(), where);
        int attempts = conf.path(ATTEMPTS).asInt(-1);
        assertTrue(
                attempts > 0 && attempts <= 20,
                where + ": " + ATTEMPTS + " must bound the restarts, is " + conf.path(ATTEMPTS));
    }
}
