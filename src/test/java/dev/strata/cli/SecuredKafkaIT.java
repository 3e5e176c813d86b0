package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.io.NpyWriter;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.KafkaTopics;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.synth.GaussianMixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on a secured broker, as a production cluster is reached: a real broker with a
 * SASL_PLAINTEXT listener authenticating SCRAM-SHA-256 users and a TLS listener whose certificate
 * the test makes with the JDK's keytool. Every command talks to those listeners only, through a
 * Kafka client properties file ({@code --kafka-config}); the TLS file reads its truststore
 * password through Kafka's file config provider.
 */
class SecuredKafkaIT {
    private static final String USER = "strata-job";
    private static final String PASSWORD = "scram-pw-7c1e9a";
    private static final String KEYSTORE_PASSWORD = "keystore-pw-51d0";
    private static final String TRUSTSTORE_PASSWORD = "truststore-pw-a83f";
    private static final int ROWS = 400;

    @TempDir
    static Path dir;

    static LocalKafka broker;
    static Path scram;
    static Path tls;
    static Path model;

    @BeforeAll
    static void start() throws Exception {
        BrokerCertificate cert = BrokerCertificate.create(dir, KEYSTORE_PASSWORD);
        Path keystore = cert.keystore();
        Path truststore = cert.truststore(dir.resolve("truststore.p12"), TRUSTSTORE_PASSWORD);

        broker = SharedKafka.testBroker(dir.resolve("kafka"))
                .withListener(
                        new LocalKafka.Listener("SASL_PLAINTEXT", SharedKafka.freePort()),
                        Map.of(
                                "sasl.enabled.mechanisms",
                                "SCRAM-SHA-256",
                                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;"))
                .withListener(
                        new LocalKafka.Listener("SSL", SharedKafka.freePort()),
                        Map.of(
                                "listener.name.ssl.ssl.keystore.type",
                                "PKCS12",
                                "listener.name.ssl.ssl.keystore.location",
                                keystore.toString(),
                                "listener.name.ssl.ssl.keystore.password",
                                KEYSTORE_PASSWORD,
                                "listener.name.ssl.ssl.key.password",
                                KEYSTORE_PASSWORD));
        broker.start();
        // the SCRAM user through the admin API, on the broker's own plain listener
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }

        scram = dir.resolve("scram.properties");
        Files.writeString(
                scram,
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + USER
                        + "\" password=\"" + PASSWORD + "\";\n");
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "truststore.password=" + TRUSTSTORE_PASSWORD + "\n");
        tls = dir.resolve("tls.properties");
        Files.writeString(
                tls,
                "security.protocol=SSL\nssl.truststore.type=PKCS12\nssl.truststore.location=" + truststore
                        + "\nssl.truststore.password=${file:" + secrets + ":truststore.password}\n"
                        + "config.providers=file\n"
                        + "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n");
        model = TestModels.dim8(dir);
        awaitScramUser();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    /** A credential reaches the broker through the metadata log: wait until a SCRAM client is let in. */
    private static void awaitScramUser() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Admin admin = KafkaTopics.admin(KafkaConnection.of(broker.bootstrapServers("SASL_PLAINTEXT"), scram));
            try {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                assertTrue(System.nanoTime() < deadline, "the SCRAM user was never accepted: " + e);
                Thread.sleep(500);
            } finally {
                KafkaTopics.close(admin);
            }
        }
    }

    /**
     * produce over SCRAM (creating its topic), curate over SCRAM (its other topics created by the command, the job's source, sinks
     * and admin clients all on the SASL listener), then the curated topic read over TLS.
     */
    @Test
    void produceCurateAndReadBackThroughTheSecuredListenersOnly() throws Exception {
        String sasl = broker.bootstrapServers("SASL_PLAINTEXT");
        Path input = dir.resolve("pool.npy");
        NpyWriter.write(
                input, new GaussianMixture(ROWS, 8, 5, 1.0, 3).generate().points());
        CliRun produce = CliRun.of(
                "produce",
                "--bootstrap-servers",
                sasl,
                "--kafka-config",
                scram.toString(),
                "--topic",
                "secured-in",
                "--create-topic",
                "--input",
                input.toString());
        assertEquals(0, produce.exit(), produce.err());
        assertTrue(produce.out().contains("created topic 'secured-in'"), produce.out());
        assertTrue(produce.out().contains("produced " + ROWS + " records"), produce.out());

        CliRun curate = CliRun.of(
                "curate",
                "--bootstrap-servers",
                sasl,
                "--kafka-config",
                scram.toString(),
                "--input-topic",
                "secured-in",
                "--output-topic",
                "secured-out",
                "--model",
                model.toString(),
                "--target",
                "40",
                "--expected-volume",
                Integer.toString(ROWS),
                "--bounded",
                "--create-topics",
                "--parallelism",
                "1",
                "--checkpoint-interval-ms",
                "500",
                "--checkpoint-dir",
                dir.resolve("cp").toString(),
                "--web-ui-port",
                "0");
        assertEquals(0, curate.exit(), curate.err());
        assertTrue(
                curate.out().contains("created topic 'secured-out'")
                        && curate.out().contains("created topic " + "'secured-in.dlq'")
                        && curate.out().contains("topic 'secured-in' exists"),
                curate.out());
        assertTrue(curate.out().contains("job finished"), curate.out());
        assertFalse((curate.out() + curate.err()).contains(PASSWORD), "the SCRAM password was printed");

        Path ids = dir.resolve("ids.txt");
        CliRun export = CliRun.of(
                "export",
                "--bootstrap-servers",
                broker.bootstrapServers("SSL"),
                "--kafka-config",
                tls.toString(),
                "--topic",
                "secured-out",
                "--out",
                ids.toString());
        assertEquals(0, export.exit(), export.err());
        List<String> lines = Files.readAllLines(ids);
        assertTrue(lines.size() > 0 && lines.size() <= 40, "curated " + lines.size() + " of target 40");
        for (String id : lines) {
            int row = Integer.parseInt(id);
            assertTrue(row >= 0 && row < ROWS, id);
        }
    }

    /** Options reach the topic; what is not given is the brokers' default; an existing topic is left alone. */
    @Test
    void createTopicHonoursItsOptionsAndLeavesExistingTopicsAlone() throws Exception {
        String sasl = broker.bootstrapServers("SASL_PLAINTEXT");
        CliRun create = CliRun.of(
                "kafka",
                "create-topic",
                "changelog",
                "--partitions",
                "3",
                "--compact",
                "--config",
                "retention.ms=3600000",
                "--bootstrap-servers",
                sasl,
                "--kafka-config",
                scram.toString());
        assertEquals(0, create.exit(), create.err());
        CliRun dflt = CliRun.of(
                "kafka", "create-topic", "defaults", "--bootstrap-servers", sasl, "--kafka-config", scram.toString());
        assertTrue(dflt.out().contains("the brokers' default partitions"), dflt.out());
        CliRun again = CliRun.of(
                "kafka",
                "create-topic",
                "changelog",
                "--partitions",
                "5",
                "--bootstrap-servers",
                sasl,
                "--kafka-config",
                scram.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("topic 'changelog' exists; left as it is"), again.out());
        Admin admin = KafkaTopics.admin(KafkaConnection.of(sasl, scram));
        try {
            assertEquals(
                    3,
                    KafkaTopics.describe(admin, sasl, "changelog").partitions().size());
            // kafka/server.properties: num.partitions=1
            assertEquals(
                    1,
                    KafkaTopics.describe(admin, sasl, "defaults").partitions().size());
            var config = KafkaTopics.config(admin, sasl, "changelog");
            assertEquals("compact", config.get("cleanup.policy").value());
            assertEquals("3600000", config.get("retention.ms").value());
        } finally {
            KafkaTopics.close(admin);
        }
        CliRun conflict = CliRun.of(
                "kafka",
                "create-topic",
                "x",
                "--compact",
                "--config",
                "cleanup.policy=delete",
                "--bootstrap-servers",
                sasl,
                "--kafka-config",
                scram.toString());
        assertNotEquals(0, conflict.exit());
        assertTrue(conflict.oneLineError() && conflict.err().contains("disagree"), conflict.err());
    }

    /** A wrong password is the broker's refusal in one line, not a hang or a stack trace. */
    @Test
    void wrongCredentialsAreOneLine() throws Exception {
        Path wrong = dir.resolve("wrong.properties");
        Files.writeString(wrong, Files.readString(scram).replace(PASSWORD, "not-the-password"));
        CliRun create = CliRun.of(
                "kafka",
                "create-topic",
                "never",
                "--bootstrap-servers",
                broker.bootstrapServers("SASL_PLAINTEXT"),
                "--kafka-config",
                wrong.toString());
        assertNotEquals(0, create.exit());
        assertTrue(create.oneLineError() && create.err().contains("Authentication failed"), create.err());
        CliRun missing = CliRun.of(
                "export",
                "--bootstrap-servers",
                broker.bootstrapServers("SSL"),
                "--kafka-config",
                dir.resolve("nope.properties").toString(),
                "--topic",
                "x",
                "--out",
                dir.resolve("x.txt").toString());
        assertNotEquals(0, missing.exit());
        assertTrue(missing.oneLineError() && missing.err().contains("nope.properties: no such file"), missing.err());
    }
}
