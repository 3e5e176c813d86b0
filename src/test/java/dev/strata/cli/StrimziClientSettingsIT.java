package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.io.NpyWriter;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.ProjectHome;
import dev.strata.local.SharedKafka;
import dev.strata.synth.GaussianMixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes set-up, on a real broker: a SASL_SSL listener with SCRAM-SHA-512 (Strimzi's TLS
 * listener with SCRAM, k8s/kafka/kafka-cluster.yaml) and Kafka's StandardAuthorizer holding exactly
 * the ACLs of the KafkaUsers in k8s/kafka/users.yaml. The credentials are laid out as the pods see
 * them (the user's Secret and the cluster CA's certificate mounted as directories,
 * k8s/flink/curate-deployment.yaml), and every client reads them through the client properties
 * of the ConfigMap's curate.yaml, with only the mount paths moved into a temporary folder. So the
 * ACLs are enough for the job (source, exactly-once sinks, admin checks) and for a producer, the
 * properties connect, and a user is held to its own ACLs.
 */
class StrimziClientSettingsIT {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String KEYSTORE_PASSWORD = "keystore-pw-2b7d";
    private static final String USER_MOUNT = "/etc/strata/kafka-user";
    private static final String CA_MOUNT = "/etc/strata/cluster-ca";
    private static final int ROWS = 300;
    private static final int TARGET = 30;

    @TempDir
    static Path dir;

    static LocalKafka broker;
    static JsonNode curateYaml;
    static Map<String, JsonNode> users;
    static Path caDir;

    @BeforeAll
    static void start() throws Exception {
        Path home = ProjectHome.find();
        curateYaml = clusterCurateYaml(home);
        users = kafkaUsers(home);

        // Strimzi's strata-cluster-ca-cert holds ca.crt in PEM; the broker's self-signed certificate plays the CA
        BrokerCertificate cert = BrokerCertificate.create(dir, KEYSTORE_PASSWORD);
        Path keystore = cert.keystore();
        caDir = Files.createDirectories(dir.resolve("cluster-ca"));
        Files.copy(cert.pem(), caDir.resolve("ca.crt"));

        broker = SharedKafka.testBroker(dir.resolve("kafka"))
                .withListener(
                        new LocalKafka.Listener("SASL_SSL", SharedKafka.freePort()),
                        Map.of(
                                "sasl.enabled.mechanisms",
                                "SCRAM-SHA-512",
                                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                                "listener.name.sasl_ssl.ssl.keystore.type",
                                "PKCS12",
                                "listener.name.sasl_ssl.ssl.keystore.location",
                                keystore.toString(),
                                "listener.name.sasl_ssl.ssl.keystore.password",
                                KEYSTORE_PASSWORD,
                                "listener.name.sasl_ssl.ssl.key.password",
                                KEYSTORE_PASSWORD,
                                // ACLs as Strimzi's simple authorization; the broker itself and this test's set-up
                                // reach it on the plain listener (User:ANONYMOUS), which plays the cluster operator
                                "authorizer.class.name",
                                "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                                "super.users",
                                "User:ANONYMOUS"));
        broker.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            List<UserScramCredentialAlteration> credentials = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (var u : users.entrySet()) {
                credentials.add(new UserScramCredentialUpsertion(
                        u.getKey(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password(u.getKey())));
                acls.addAll(aclBindings(u.getKey(), u.getValue()));
                userSecretDir(u.getKey());
            }
            admin.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            JsonNode kafka = curateYaml.path("kafka");
            admin.createTopics(List.of(
                            new NewTopic(kafka.path("inputTopic").asText(), 2, (short) 1),
                            new NewTopic(kafka.path("outputTopic").asText(), 2, (short) 1),
                            new NewTopic(kafka.path("deadLetterTopic").asText(), 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    /** produce as strata-producer and curate as strata-curate, each with the ConfigMap's client properties. */
    @Test
    void theJobAndAProducerRunOnTheirKafkaUsersAcls() throws Exception {
        JsonNode kafka = curateYaml.path("kafka");
        String in = kafka.path("inputTopic").asText();
        String out = kafka.path("outputTopic").asText();
        Path input = dir.resolve("pool.npy");
        NpyWriter.write(
                input, new GaussianMixture(ROWS, 8, 5, 1.0, 3).generate().points());
        CliRun produce = CliRun.of(
                "produce",
                "--bootstrap-servers",
                broker.bootstrapServers("SASL_SSL"),
                "--kafka-config",
                clientProperties("strata-producer").toString(),
                "--topic",
                in,
                "--input",
                input.toString());
        assertEquals(0, produce.exit(), produce.err());
        assertTrue(produce.out().contains("produced " + ROWS + " records"), produce.out());

        CliRun curate = curateAs("strata-curate");
        assertEquals(0, curate.exit(), curate.err());
        assertTrue(curate.out().contains("job finished"), curate.out());
        assertFalse(
                (curate.out() + curate.err()).contains(password("strata-curate")), "the SCRAM password was printed");

        Set<String> ids = readAll(out);
        assertTrue(ids.size() > TARGET / 2 && ids.size() <= TARGET, "curated " + ids.size() + " of target " + TARGET);
        for (String id : ids) {
            int row = Integer.parseInt(id);
            assertTrue(row >= 0 && row < ROWS, id);
        }
    }

    /** The producer's user may write embeddings and nothing else: as the job it is refused, in one line. */
    @Test
    void aUserIsHeldToItsOwnAcls() throws Exception {
        CliRun curate = curateAs("strata-producer");
        assertNotEquals(0, curate.exit(), curate.out());
        assertTrue(curate.oneLineError(), curate.err());
        assertTrue(curate.err().toLowerCase(Locale.ROOT).contains("authoriz"), curate.err());
    }

    private static CliRun curateAs(String user) throws IOException {
        JsonNode kafka = curateYaml.path("kafka");
        return CliRun.of(
                "curate",
                "--bootstrap-servers",
                broker.bootstrapServers("SASL_SSL"),
                "--kafka-config",
                clientProperties(user).toString(),
                "--input-topic",
                kafka.path("inputTopic").asText(),
                "--output-topic",
                kafka.path("outputTopic").asText(),
                "--dead-letter-topic",
                kafka.path("deadLetterTopic").asText(),
                "--group-id",
                kafka.path("groupId").asText(),
                "--model",
                TestModels.dim8(dir).toString(),
                "--target",
                Integer.toString(TARGET),
                "--expected-volume",
                Integer.toString(ROWS),
                "--bounded",
                "--parallelism",
                "1",
                "--checkpoint-interval-ms",
                "500",
                "--checkpoint-dir",
                dir.resolve("cp-" + user).toString(),
                "--web-ui-port",
                "0");
    }

    /** The ConfigMap's kafka.properties with the pods' mount paths moved to this user's folders. */
    private static Path clientProperties(String user) throws IOException {
        Properties p = new Properties();
        curateYaml
                .path("kafka")
                .path("properties")
                .fields()
                .forEachRemaining(e -> p.setProperty(
                        e.getKey(),
                        e.getValue()
                                .asText()
                                .replace(
                                        USER_MOUNT,
                                        dir.resolve("users").resolve(user).toString())
                                .replace(CA_MOUNT, caDir.toString())));
        assertEquals("SASL_SSL", p.getProperty("security.protocol"), "the ConfigMap's client properties");
        Path file = dir.resolve(user + ".properties");
        try (var w = Files.newBufferedWriter(file)) {
            p.store(w, "from k8s/flink/curate-configmap.yaml");
        }
        return file;
    }

    /** The Secret Strimzi's User Operator writes for a SCRAM user, as a mounted directory. */
    private static void userSecretDir(String user) throws IOException {
        Path d = Files.createDirectories(dir.resolve("users").resolve(user));
        Files.writeString(d.resolve("password"), password(user));
        Files.writeString(
                d.resolve("sasl.jaas.config"),
                "org.apache.kafka.common.security.scram.ScramLoginModule " + "required username=\"" + user
                        + "\" password=\"" + password(user) + "\";");
    }

    private static String password(String user) {
        return "pw-" + Integer.toHexString(user.hashCode()) + "-scram";
    }

    /** A KafkaUser's spec.authorization.acls as Kafka ACL bindings, the translation Strimzi's User Operator makes. */
    private static List<AclBinding> aclBindings(String user, JsonNode spec) {
        assertEquals("simple", spec.at("/authorization/type").asText(), user + ": authorization");
        List<AclBinding> out = new ArrayList<>();
        for (JsonNode acl : spec.at("/authorization/acls")) {
            JsonNode r = acl.path("resource");
            ResourceType type = switch (r.path("type").asText()) {
                case "topic" -> ResourceType.TOPIC;
                case "group" -> ResourceType.GROUP;
                case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
                case "cluster" -> ResourceType.CLUSTER;
                default -> throw new AssertionError(user + ": resource type " + r.path("type"));
            };
            String name = type == ResourceType.CLUSTER
                    ? "kafka-cluster"
                    : r.path("name").asText();
            PatternType pattern = r.path("patternType").asText("literal").equals("prefix")
                    ? PatternType.PREFIXED
                    : PatternType.LITERAL;
            for (JsonNode op : acl.path("operations")) {
                AclOperation operation = AclOperation.fromString(op.asText().replaceAll("([a-z])([A-Z])", "$1_$2"));
                assertNotEquals(AclOperation.UNKNOWN, operation, user + ": operation " + op);
                out.add(new AclBinding(
                        new ResourcePattern(type, name, pattern),
                        new AccessControlEntry(
                                "User:" + user, acl.path("host").asText("*"), operation, AclPermissionType.ALLOW)));
            }
        }
        return out;
    }

    /** The keys of every committed record of the topic, read on the plain listener (super user). */
    private static Set<String> readAll(String topic) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(broker.bootstrapServers(), topic)) {
            ids.add(new String(r.key()));
        }
        return ids;
    }

    private static JsonNode clusterCurateYaml(Path home) throws IOException {
        JsonNode cm =
                YAML.readTree(home.resolve("k8s/flink/curate-configmap.yaml").toFile());
        return YAML.readTree(cm.at("/data/curate.yaml").asText());
    }

    private static Map<String, JsonNode> kafkaUsers(Path home) throws IOException {
        Map<String, JsonNode> out = new TreeMap<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
                .readValues(home.resolve("k8s/kafka/users.yaml").toFile())) {
            while (it.hasNext()) {
                JsonNode u = it.next();
                out.put(u.at("/metadata/name").asText(), u.path("spec"));
            }
        }
        assertTrue(
                out.containsKey("strata-curate") && out.containsKey("strata-producer"), "KafkaUsers: " + out.keySet());
        return out;
    }
}
