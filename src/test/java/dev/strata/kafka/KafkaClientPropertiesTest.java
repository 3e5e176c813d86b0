package dev.strata.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client properties files, Kafka's password-typed keys, and the references a job carries instead of secrets. */
class KafkaClientPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void kafkasPasswordTypedKeysAreTheSecrets() {
        for (String k :
                List.of("sasl.jaas.config", "ssl.keystore.password", "ssl.key.password", "ssl.truststore.password")) {
            assertTrue(KafkaClientProperties.isSecretKey(k), k);
        }
        for (String k :
                List.of("security.protocol", "sasl.mechanism", "ssl.truststore.location", "request.timeout.ms")) {
            assertFalse(KafkaClientProperties.isSecretKey(k), k);
        }
        assertEquals(
                List.of("sasl.jaas.config"),
                KafkaClientProperties.writtenSecrets(Map.of(
                        "sasl.jaas.config",
                        "x required;",
                        "ssl.truststore.password",
                        "${env:TRUST}",
                        "security.protocol",
                        "SASL_SSL")));
    }

    @Test
    void secretsWrittenOutBecomeReferencesToTheSameFile() throws Exception {
        Path f = dir.resolve("client.properties");
        Files.writeString(
                f,
                "security.protocol=SASL_SSL\nsasl.jaas.config=ScramLoginModule required password=\"pw-123\";\n"
                        + "ssl.truststore.password=${env:TRUST}\nconfig.providers=env\n"
                        + "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n");
        Map<String, String> refs = KafkaClientProperties.asReferences(f, KafkaClientProperties.load(f));
        assertEquals("${file:" + f.toAbsolutePath() + ":sasl.jaas.config}", refs.get("sasl.jaas.config"));
        assertEquals("${env:TRUST}", refs.get("ssl.truststore.password"));
        assertEquals("env,file", refs.get("config.providers"));
        assertEquals(
                "org.apache.kafka.common.config.provider.FileConfigProvider", refs.get("config.providers.file.class"));
        assertFalse(refs.toString().contains("pw-123"));
        assertEquals(List.of(), KafkaClientProperties.writtenSecrets(refs));
    }

    /** The reference resolves to the secret in a real Kafka client config: what the job's clients do. */
    @Test
    void kafkaResolvesTheReferenceBackToTheSecret() throws Exception {
        Path f = dir.resolve("client.properties");
        Files.writeString(f, "ssl.truststore.password=pw-456\n");
        Map<String, String> refs = KafkaClientProperties.asReferences(f, KafkaClientProperties.load(f));
        Properties p = new KafkaConnection("127.0.0.1:1", refs).clientProperties();
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        var resolved = new ConsumerConfig(p);
        assertEquals("pw-456", resolved.getPassword("ssl.truststore.password").value());
    }

    @Test
    void aMissingFileIsOneLine() {
        StrataException e = assertThrows(StrataException.class, () -> KafkaClientProperties.load(dir.resolve("nope")));
        assertTrue(
                e.getMessage().startsWith("--kafka-config " + dir.resolve("nope") + ": no such file"), e.getMessage());
    }

    @Test
    void theConnectionNeverPrintsItsProperties() {
        KafkaConnection c =
                new KafkaConnection("b:9093", Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "pw"));
        assertEquals("b:9093 (SASL_SSL)", c.toString());
        assertEquals("b:9093", c.clientProperties().get("bootstrap.servers"));
    }
}
