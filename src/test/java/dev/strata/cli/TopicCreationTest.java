package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.job.CurateSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topics --create-topics makes for a job, and what --kafka-config adds to a job. */
class TopicCreationTest {
    @TempDir
    Path dir;

    private static CurateSpec job(Map<String, Object> extra) {
        Map<String, Object> s = new HashMap<>(
                Map.of("kafka.inputTopic", "in", "kafka.outputTopic", "out", "model", "m", "quota.keepFraction", 0.1));
        s.putAll(extra);
        return CurateSpec.of(s);
    }

    @Test
    void exactModeGetsACompactedOutputAndTheDeadLettersAreNeverCompacted() {
        List<NewTopic> exact = TopicCreation.forJob(job(Map.of("mode", "exact")));
        assertEquals(
                List.of("in", "out", "in.dlq"),
                exact.stream().map(NewTopic::name).toList());
        assertEquals(-1, exact.get(0).numPartitions(), "the brokers' default partitions");
        assertEquals("compact", exact.get(1).configs().get("cleanup.policy"));
        assertEquals("delete", exact.get(2).configs().get("cleanup.policy"));
        List<NewTopic> admission = TopicCreation.forJob(job(Map.of("kafka.maxRecordBytes", 4_000_000)));
        assertFalse(admission.get(1).configs().containsKey("cleanup.policy"));
        assertEquals("4000000", admission.get(1).configs().get("max.message.bytes"));
        assertEquals("4000000", admission.get(2).configs().get("max.message.bytes"));
    }

    @Test
    void aKafkaConfigFileReachesTheJobWithItsSecretsAsReferences() throws Exception {
        Path f = dir.resolve("client.properties");
        Files.writeString(
                f,
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" "
                        + "password=\"pw-789\";\n");
        KafkaConfigOption option = new KafkaConfigOption();
        option.file = f;
        CurateSpec withFile = option.applyTo(job(Map.of()));
        assertEquals("SASL_PLAINTEXT", withFile.kafka().properties().get("security.protocol"));
        assertFalse(withFile.toYaml().contains("pw-789"), withFile.toYaml());
        assertTrue(
                withFile.toYaml().contains("${file:" + f.toAbsolutePath() + ":sasl.jaas.config}"), withFile.toYaml());
        // what `submit` ships binds again on the cluster
        assertEquals(withFile, CurateSpec.parse(withFile.toYaml(), "shipped", null));
    }
}
