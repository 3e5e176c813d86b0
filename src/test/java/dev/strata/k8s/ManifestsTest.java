package dev.strata.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.strata.job.CurateSpec;
import dev.strata.local.FlinkJvmOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the Kubernetes manifests under k8s/: every YAML document parses and carries
 * what the Flink Kubernetes Operator and Strimzi require, and the pieces agree with each other
 * (topic names, mounts, ports, paths) and with the job (flink-jobs/*.yaml, the sink's transaction
 * timeout). No cluster is needed.
 */
class ManifestsTest {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    private static Path root;
    /** Every document of every k8s/**.yaml file, with the file it came from. */
    private static List<Doc> docs;

    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        String where() {
            return root.relativize(file) + " (" + kind() + " " + name() + ")";
        }
    }

    @BeforeAll
    static void load() throws IOException {
        root = projectRoot();
        Path k8s = root.resolve("k8s");
        assertTrue(Files.isDirectory(k8s), "no k8s/ folder under " + root);
        List<Path> files;
        try (Stream<Path> s = Files.walk(k8s)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no .yaml files under " + k8s);
        docs = new ArrayList<>();
        for (Path f : files) {
            for (JsonNode n : readAll(f)) {
                docs.add(new Doc(f, n));
            }
        }
    }

    /** Walks up from the working directory to the folder that holds pom.xml. */
    private static Path projectRoot() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("pom.xml"))) {
            p = p.getParent();
        }
        assertNotNull(p, "no pom.xml above " + System.getProperty("user.dir"));
        return p;
    }

    /** All non-empty documents of a (multi-document) YAML file. */
    private static List<JsonNode> readAll(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (YAMLParser parser = YAML.createParser(file.toFile());
                MappingIterator<JsonNode> it = MAPPER.readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                JsonNode n = it.nextValue();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    out.add(n);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
        }
        return out;
    }

    private static JsonNode yamlText(String text, String what) {
        try {
            JsonNode n = MAPPER.readTree(text);
            assertTrue(n != null && n.isObject(), what + " is not a YAML mapping");
            return n;
        } catch (IOException e) {
            throw new AssertionError(what + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static List<Doc> ofKind(String kind) {
        return docs.stream().filter(d -> d.kind().equals(kind)).collect(Collectors.toList());
    }

    private static Doc single(String kind) {
        List<Doc> all = ofKind(kind);
        assertEquals(1, all.size(), "expected exactly one " + kind + " under k8s/, found " + all.size());
        return all.get(0);
    }

    private static String text(JsonNode n, String path, String where) {
        JsonNode v = n.at(path);
        assertTrue(
                v.isTextual() && !v.asText().isBlank(), where + ": " + path + " must be a non-empty string, is " + v);
        return v.asText();
    }

    private static JsonNode flinkDeployment() {
        return curateDeployment().node();
    }

    /** The curation job's FlinkDeployment (the bootstrap has one of its own: bootstrap-deployment.yaml). */
    private static Doc curateDeployment() {
        return ofKind("FlinkDeployment").stream()
                .filter(d -> d.name().equals("strata-curate"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no FlinkDeployment strata-curate under k8s/"));
    }

    private static JsonNode flinkConf() {
        return flinkDeployment().path("spec").path("flinkConfiguration");
    }

    /** The curate.yaml of the ConfigMap the FlinkDeployment mounts. */
    private static JsonNode clusterCurateYaml() {
        Doc cm = configMap(mountedConfigMapName());
        return yamlText(text(cm.node(), "/data/curate.yaml", cm.where()), cm.where() + " data.curate.yaml");
    }

    private static Doc configMap(String name) {
        return ofKind("ConfigMap").stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap named " + name + " under k8s/"));
    }

    /** Name of the ConfigMap mounted at /opt/strata/flink-jobs in the Flink pod template. */
    private static String mountedConfigMapName() {
        JsonNode pod = flinkDeployment().path("spec").path("podTemplate").path("spec");
        JsonNode main = mainContainer(pod);
        String volume = null;
        for (JsonNode m : main.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals("/opt/strata/flink-jobs")) {
                volume = m.path("name").asText();
            }
        }
        assertNotNull(volume, "flink-main-container must mount the job configuration at /opt/strata/flink-jobs");
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                return text(v, "/configMap/name", "pod template volume " + volume);
            }
        }
        throw new AssertionError("pod template has no volume named " + volume);
    }

    private static JsonNode mainContainer(JsonNode podSpec) {
        for (JsonNode c : podSpec.path("containers")) {
            if (c.path("name").asText().equals("flink-main-container")) {
                return c;
            }
        }
        throw new AssertionError("the FlinkDeployment pod template has no container named flink-main-container "
                + "(the operator only merges settings into a container of that name)");
    }

    /** Names of the Kafka topics declared by KafkaTopic resources (spec.topicName, else metadata.name). */
    private static Set<String> topicNames() {
        Set<String> names = new TreeSet<>();
        for (Doc t : ofKind("KafkaTopic")) {
            JsonNode explicit = t.node().path("spec").path("topicName");
            names.add(explicit.isTextual() ? explicit.asText() : t.name());
        }
        return names;
    }

    private static Doc topic(String name) {
        return ofKind("KafkaTopic").stream()
                .filter(t -> name.equals(t.node().path("spec").path("topicName").asText(t.name())))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaTopic for topic " + name));
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void everyDocumentHasApiVersionKindAndName() {
        for (Doc d : docs) {
            assertTrue(d.node().isObject(), root.relativize(d.file()) + ": a document is not a mapping");
            text(d.node(), "/apiVersion", root.relativize(d.file()).toString());
            text(d.node(), "/kind", root.relativize(d.file()).toString());
            text(d.node(), "/metadata/name", root.relativize(d.file()) + " (" + d.kind() + ")");
        }
    }

    @Test
    void namesAreUniquePerKind() {
        Set<String> seen = new TreeSet<>();
        for (Doc d : docs) {
            assertTrue(seen.add(d.kind() + "/" + d.name()), "two " + d.kind() + " resources named " + d.name());
        }
    }

    @Test
    void configMapDataValuesAreStrings() {
        for (Doc cm : ofKind("ConfigMap")) {
            Iterator<Map.Entry<String, JsonNode>> it = cm.node().path("data").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                assertTrue(e.getValue().isTextual(), cm.where() + ": data." + e.getKey() + " must be a string");
            }
        }
    }

    @Test
    void flinkDeploymentHasWhatTheOperatorNeeds() {
        Doc fd = curateDeployment();
        JsonNode n = fd.node();
        String w = fd.where();
        assertEquals("flink.apache.org/v1beta1", n.path("apiVersion").asText(), w + ": apiVersion");
        text(n, "/spec/image", w);
        assertTrue(
                text(n, "/spec/flinkVersion", w).matches("v2_\\d+"),
                w + ": flinkVersion must be a Flink 2.x value (v2_N) of the operator's enum");
        text(n, "/spec/serviceAccount", w);
        for (String part : List.of("jobManager", "taskManager")) {
            text(n, "/spec/" + part + "/resource/memory", w);
            JsonNode cpu = n.at("/spec/" + part + "/resource/cpu");
            assertTrue(
                    cpu.isNumber() && cpu.asDouble() > 0,
                    w + ": spec." + part + ".resource.cpu must be a positive number");
        }
        JsonNode job = n.path("spec").path("job");
        assertTrue(
                text(job, "/jarURI", w).startsWith("local://"),
                w + ": job.jarURI must be a local:// path in the image");
        assertEquals("dev.strata.job.CurationMain", text(job, "/entryClass", w), w + ": job.entryClass");
        assertEquals("savepoint", text(job, "/upgradeMode", w), w + ": job.upgradeMode");
        assertEquals("running", text(job, "/state", w), w + ": job.state");
        assertTrue(job.path("parallelism").isInt() && job.path("parallelism").asInt() > 0, w + ": job.parallelism");
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        int i = args.indexOf("--config");
        assertTrue(i >= 0 && i + 1 < args.size(), w + ": job.args must pass --config FILE");
        assertTrue(
                args.get(i + 1).startsWith("/opt/strata/flink-jobs/"),
                w + ": --config must point into the mounted folder");
        String file = args.get(i + 1).substring("/opt/strata/flink-jobs/".length());
        assertTrue(
                configMap(mountedConfigMapName()).node().path("data").has(file),
                w + ": the mounted ConfigMap has no key " + file + " for --config");
    }

    /** Every FlinkDeployment (curation, bootstrap) gives its JVMs the one list of Flink's opens and exports. */
    @Test
    void everyFlinkDeploymentHasFlinksJvmOptions() {
        for (Doc fd : ofKind("FlinkDeployment")) {
            String jvm = fd.node()
                    .path("spec")
                    .path("flinkConfiguration")
                    .path("env.java.opts.all")
                    .asText();
            List<String> given = List.of(jvm.trim().split("\\s+"));
            for (String option : FlinkJvmOptions.read()) {
                assertTrue(
                        given.contains(option),
                        fd.where() + ": env.java.opts.all lacks " + option
                                + " of src/main/resources/flink-jvm.properties");
            }
        }
    }

    @Test
    void flinkConfigurationHoldsTheJobsSettings() {
        JsonNode conf = flinkConf();
        assertTrue(conf.isObject() && conf.size() > 0, "FlinkDeployment has no flinkConfiguration");
        // the CRD types flinkConfiguration as map<string,string>: an unquoted true or 2 is refused
        conf.fields()
                .forEachRemaining(e -> assertTrue(
                        e.getValue().isTextual(),
                        "flinkConfiguration." + e.getKey() + " must be a string (quote it), is " + e.getValue()));
        assertEquals("rocksdb", conf.path("state.backend.type").asText());
        assertEquals("true", conf.path("execution.checkpointing.incremental").asText());
        assertTrue(conf.path("execution.checkpointing.dir").asText().startsWith("s3://"), "checkpoint dir on s3://");
        assertTrue(
                conf.path("execution.checkpointing.savepoint-dir").asText().startsWith("s3://"),
                "savepoint dir on s3://");
        assertFalse(conf.path("execution.checkpointing.interval").asText().isBlank(), "checkpoint interval");
        assertEquals(
                "RETAIN_ON_CANCELLATION",
                conf.path("execution.checkpointing.externalized-checkpoint-retention")
                        .asText(),
                "checkpoints must be retained on cancellation (runbook: restart from the last retained checkpoint)");
        assertEquals("kubernetes", conf.path("high-availability.type").asText());
        assertTrue(conf.path("high-availability.storageDir").asText().startsWith("s3://"), "HA storage dir on s3://");
        assertFalse(conf.path("restart-strategy.type").asText().isBlank(), "restart strategy");
        assertEquals(
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                conf.path("metrics.reporter.prom.factory.class").asText());
        assertEquals("9249", conf.path("metrics.reporter.prom.port").asText());
        String jvm = conf.path("env.java.opts.all").asText().replaceAll("\\s+", " ");
        assertTrue(
                jvm.contains("--add-modules jdk.incubator.vector")
                        || jvm.contains("--add-modules=jdk.incubator.vector"),
                "env.java.opts.all must add the jdk.incubator.vector module");
        assertTrue(
                conf.path("taskmanager.numberOfTaskSlots").asText().matches("\\d+"), "taskmanager.numberOfTaskSlots");
    }

    @Test
    void podTemplateTakesS3CredentialsFromASecretAndExposesMetrics() {
        JsonNode main =
                mainContainer(flinkDeployment().path("spec").path("podTemplate").path("spec"));
        Set<String> fromSecrets = new TreeSet<>();
        for (JsonNode e : main.path("env")) {
            if (e.path("valueFrom").has("secretKeyRef")) {
                fromSecrets.add(e.path("name").asText());
            }
        }
        assertTrue(
                fromSecrets.containsAll(Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")),
                "S3 credentials must come from a Secret, found secret env vars " + fromSecrets);
        boolean metrics = false;
        for (JsonNode p : main.path("ports")) {
            metrics |= p.path("containerPort").asInt() == 9249
                    && p.path("name").asText().equals("metrics");
        }
        assertTrue(metrics, "flink-main-container must declare containerPort 9249 named metrics");
    }

    @Test
    void serviceAccountAndRoleBindingExist() {
        String sa = flinkDeployment().path("spec").path("serviceAccount").asText();
        assertTrue(ofKind("ServiceAccount").stream().anyMatch(d -> d.name().equals(sa)), "no ServiceAccount " + sa);
        boolean bound = ofKind("RoleBinding").stream().anyMatch(rb -> {
            for (JsonNode s : rb.node().path("subjects")) {
                if (s.path("kind").asText().equals("ServiceAccount")
                        && s.path("name").asText().equals(sa)) {
                    return ofKind("Role").stream()
                            .anyMatch(r -> r.name()
                                    .equals(rb.node().at("/roleRef/name").asText()));
                }
            }
            return false;
        });
        assertTrue(bound, "ServiceAccount " + sa + " must be bound to a Role defined under k8s/");
    }

    @Test
    void podMonitorScrapesTheFlinkPods() {
        Doc pm = single("PodMonitor");
        assertEquals("monitoring.coreos.com/v1", pm.node().path("apiVersion").asText(), pm.where());
        assertEquals(
                curateDeployment().name(),
                pm.node().at("/spec/selector/matchLabels/app").asText(),
                pm.where() + ": must select the pods of the FlinkDeployment (label app=<name>)");
        JsonNode endpoints = pm.node().path("spec").path("podMetricsEndpoints");
        assertTrue(endpoints.size() > 0, pm.where() + ": no podMetricsEndpoints");
        assertEquals(
                "metrics", endpoints.get(0).path("port").asText(), pm.where() + ": must scrape the port named metrics");
    }

    @Test
    void dockerfileMatchesTheJarUri() throws IOException {
        String dockerfile = Files.readString(root.resolve("k8s/Dockerfile"));
        assertTrue(
                dockerfile.contains("FROM flink:" + pomFlinkVersion() + "-java17"),
                "k8s/Dockerfile must build FROM flink:" + pomFlinkVersion() + "-java17 (the pom's flink.version)");
        String jar = flinkDeployment().at("/spec/job/jarURI").asText().substring("local://".length());
        assertTrue(dockerfile.contains(jar), "k8s/Dockerfile must put the job jar at " + jar);
        assertTrue(
                dockerfile.contains("/opt/flink/plugins/s3-fs-presto")
                        && dockerfile.contains("/opt/flink/opt/flink-s3-fs-presto-"),
                "k8s/Dockerfile must enable the S3 plugin from /opt/flink/opt");
        // Flink 2.2's distribution ships the Prometheus reporter in plugins/metrics-prometheus/, not in opt/
        assertFalse(
                dockerfile.contains("/opt/flink/opt/flink-metrics-prometheus"),
                "k8s/Dockerfile copies the Prometheus reporter from /opt/flink/opt, where Flink 2.2 does not ship it");
        assertTrue(
                dockerfile.contains("/opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus-"),
                "k8s/Dockerfile must check the Prometheus reporter in /opt/flink/plugins/metrics-prometheus/");
    }

    // --- current APIs, pinned images, no build-machine paths ------------------------------------

    @Test
    void flinkVersionIsTheImagesFlinkMinor() {
        String[] v = pomFlinkVersion().split("\\.");
        String expected = "v" + v[0] + "_" + v[1];
        assertEquals(
                expected,
                flinkDeployment().path("spec").path("flinkVersion").asText(),
                "spec.flinkVersion must name the image's Flink " + pomFlinkVersion()
                        + " (the operator picks its config format and REST calls by it)");
    }

    @Test
    void strimziResourcesUseTheV1Api() {
        List<Doc> strimzi = docs.stream()
                .filter(d -> d.node().path("apiVersion").asText().startsWith("kafka.strimzi.io/"))
                .collect(Collectors.toList());
        assertFalse(strimzi.isEmpty(), "no Strimzi resources under k8s/");
        for (Doc d : strimzi) {
            assertEquals(
                    "kafka.strimzi.io/v1",
                    d.node().path("apiVersion").asText(),
                    d.where() + ": Strimzi 1.0 serves only kafka.strimzi.io/v1 (v1beta2 is removed)");
        }
    }

    @Test
    void everyImageIsPinned() throws IOException {
        Map<String, String> images = new TreeMap<>();
        for (Doc d : docs) {
            collectImages(d.node(), d.where(), images);
        }
        for (String line : Files.readAllLines(root.resolve("k8s/Dockerfile"))) {
            if (line.trim().toUpperCase(Locale.ROOT).startsWith("FROM ")) {
                images.put(line.trim().split("\\s+")[1], "k8s/Dockerfile");
            }
        }
        assertTrue(images.size() >= 3, "expected the Flink, job and AWS CLI images, found " + images);
        for (Map.Entry<String, String> e : images.entrySet()) {
            String image = e.getKey();
            String name = image.substring(image.lastIndexOf('/') + 1);
            boolean digest = image.contains("@sha256:");
            assertTrue(digest || name.contains(":"), e.getValue() + ": image " + image + " has no tag; pin a version");
            String tag = digest ? "" : name.substring(name.indexOf(':') + 1);
            assertFalse(
                    tag.equals("latest") || tag.isBlank(),
                    e.getValue() + ": image " + image + " is not pinned to a version");
        }
    }

    /** Every value of a key named "image" anywhere in the document. */
    private static void collectImages(JsonNode n, String where, Map<String, String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("image") && e.getValue().isTextual()) {
                    out.put(e.getValue().asText(), where);
                } else {
                    collectImages(e.getValue(), where, out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(c -> collectImages(c, where, out));
        }
    }

    @Test
    void noFileNamesAPathOfTheBuildMachine() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root.resolve("k8s"))) {
            files = s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        Pattern machine = Pattern.compile("(?<![\\w.])/(work|home|Users|root)/");
        for (Path f : files) {
            String text = Files.readString(f);
            assertFalse(
                    text.contains(root.toString()),
                    root.relativize(f) + " names the build machine's project folder " + root);
            assertFalse(
                    machine.matcher(text).find(),
                    root.relativize(f) + " names a path of someone's machine: " + firstMatch(machine, text));
        }
    }

    private static String firstMatch(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            return "";
        }
        int start = text.lastIndexOf('\n', m.start()) + 1;
        int end = text.indexOf('\n', m.start());
        return text.substring(start, end < 0 ? text.length() : end).trim();
    }

    // --- least privilege ------------------------------------------------------------------------

    @Test
    void rolesGrantNamedVerbsOnly() {
        List<Doc> roles = new ArrayList<>(ofKind("Role"));
        roles.addAll(ofKind("ClusterRole"));
        assertFalse(roles.isEmpty(), "no Role under k8s/");
        Map<String, Set<String>> granted = new HashMap<>();
        for (Doc r : roles) {
            for (JsonNode rule : r.node().path("rules")) {
                Set<String> verbs = strings(rule.path("verbs"));
                Set<String> resources = strings(rule.path("resources"));
                assertFalse(verbs.isEmpty(), r.where() + ": a rule without verbs");
                assertFalse(
                        verbs.contains("*"),
                        r.where() + ": verbs [\"*\"] on " + resources + "; name the verbs the pods use");
                assertFalse(
                        resources.contains("*")
                                || strings(rule.path("apiGroups")).contains("*"),
                        r.where() + ": a wildcard resource or API group");
                resources.forEach(res ->
                        granted.computeIfAbsent(res, k -> new TreeSet<>()).addAll(verbs));
            }
        }
        // what native mode and Kubernetes HA cannot run without: TaskManager pods, leader ConfigMaps
        assertTrue(
                granted.getOrDefault("pods", Set.of()).containsAll(Set.of("create", "delete", "watch")),
                "the JobManager creates, watches and deletes TaskManager pods; granted " + granted.get("pods"));
        assertTrue(
                granted.getOrDefault("configmaps", Set.of()).containsAll(Set.of("create", "update", "watch", "delete")),
                "Kubernetes HA writes, watches and removes ConfigMaps; granted " + granted.get("configmaps"));
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    // --- security contexts ----------------------------------------------------------------------

    /** Pod specs under k8s/ that we write ourselves (Strimzi's pods come from its templates). */
    private static Map<String, JsonNode> podSpecs() {
        Map<String, JsonNode> pods = new LinkedHashMap<>();
        for (Doc fd : ofKind("FlinkDeployment")) {
            pods.put(fd.where() + " spec.podTemplate", fd.node().at("/spec/podTemplate/spec"));
            for (String role : List.of("jobManager", "taskManager")) {
                JsonNode own =
                        fd.node().path("spec").path(role).path("podTemplate").path("spec");
                if (!own.isMissingNode()) {
                    pods.put(fd.where() + " spec." + role + ".podTemplate", own);
                }
            }
        }
        for (String kind : List.of("Job", "Deployment", "StatefulSet", "DaemonSet")) {
            for (Doc d : ofKind(kind)) {
                pods.put(d.where(), d.node().at("/spec/template/spec"));
            }
        }
        return pods;
    }

    @Test
    void everyPodAndContainerRunsRestricted() {
        Map<String, JsonNode> pods = podSpecs();
        assertTrue(pods.size() >= 3, "expected the Flink pod templates and the bootstrap Job, found " + pods.keySet());
        for (Map.Entry<String, JsonNode> pod : pods.entrySet()) {
            String where = pod.getKey();
            JsonNode spec = pod.getValue();
            assertRestrictedPod(spec.path("securityContext"), where);
            Set<String> writable = new TreeSet<>();
            for (JsonNode v : spec.path("volumes")) {
                if (v.has("emptyDir")) {
                    writable.add(v.path("name").asText());
                }
            }
            List<JsonNode> containers = new ArrayList<>();
            spec.path("initContainers").forEach(containers::add);
            spec.path("containers").forEach(containers::add);
            assertFalse(containers.isEmpty(), where + ": no containers");
            for (JsonNode c : containers) {
                String cw = where + " container " + c.path("name").asText();
                assertRestrictedContainer(c.path("securityContext"), cw);
                assertTrue(
                        mountsEmptyDirAt(c, writable, "/tmp"),
                        cw + ": the root file system is read-only, so /tmp must be an emptyDir mount");
            }
        }
        JsonNode flinkPod = flinkDeployment().at("/spec/podTemplate/spec");
        JsonNode main = mainContainer(flinkPod);
        Set<String> writable = new TreeSet<>();
        flinkPod.path("volumes").forEach(v -> {
            if (v.has("emptyDir")) {
                writable.add(v.path("name").asText());
            }
        });
        assertTrue(
                mountsEmptyDirAt(main, writable, "/opt/flink/log"),
                "flink-main-container: Flink writes its log files to /opt/flink/log, which must be an emptyDir mount");
        assertEquals("/tmp", flinkConf().path("io.tmp.dirs").asText(), "io.tmp.dirs must be the writable /tmp");
        String jvm = flinkConf().path("env.java.opts.all").asText();
        assertTrue(
                jvm.contains("-Dorg.bytedeco.javacpp.cachedir=/tmp/"),
                "env.java.opts.all must move JavaCPP's cache (OpenBLAS) under /tmp: the home folder is read-only");
    }

    @Test
    void strimziPodsRunRestricted() {
        for (Doc pool : ofKind("KafkaNodePool")) {
            JsonNode t = pool.node().path("spec").path("template");
            assertRestrictedPod(t.at("/pod/securityContext"), pool.where() + " template.pod");
            assertRestrictedContainer(
                    t.at("/kafkaContainer/securityContext"), pool.where() + " template.kafkaContainer");
        }
        Doc kafka = single("Kafka");
        JsonNode eo = kafka.node().at("/spec/entityOperator/template");
        assertRestrictedPod(eo.at("/pod/securityContext"), kafka.where() + " entityOperator.template.pod");
        assertRestrictedContainer(
                eo.at("/topicOperatorContainer/securityContext"),
                kafka.where() + " entityOperator.template.topicOperatorContainer");
    }

    private static boolean mountsEmptyDirAt(JsonNode container, Set<String> emptyDirs, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)
                    && emptyDirs.contains(m.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static void assertRestrictedPod(JsonNode sc, String where) {
        assertTrue(sc.path("runAsNonRoot").asBoolean(false), where + ": securityContext.runAsNonRoot must be true");
        assertEquals(
                "RuntimeDefault",
                sc.at("/seccompProfile/type").asText(),
                where + ": securityContext.seccompProfile.type must be RuntimeDefault");
    }

    private static void assertRestrictedContainer(JsonNode sc, String where) {
        assertTrue(sc.isObject(), where + ": no securityContext");
        assertFalse(
                sc.path("allowPrivilegeEscalation").asBoolean(true),
                where + ": allowPrivilegeEscalation must be false");
        assertTrue(sc.path("readOnlyRootFilesystem").asBoolean(false), where + ": readOnlyRootFilesystem must be true");
        assertTrue(sc.path("runAsNonRoot").asBoolean(false), where + ": runAsNonRoot must be true");
        assertTrue(strings(sc.at("/capabilities/drop")).contains("ALL"), where + ": capabilities.drop must hold ALL");
        assertEquals(
                "RuntimeDefault",
                sc.at("/seccompProfile/type").asText(),
                where + ": seccompProfile.type must be RuntimeDefault");
    }

    /** flink.version of the pom: the image, flinkVersion and the build must agree on it. */
    private static String pomFlinkVersion() {
        try {
            Matcher m = Pattern.compile("<flink\\.version>([^<]+)</flink\\.version>")
                    .matcher(Files.readString(root.resolve("pom.xml")));
            assertTrue(m.find(), "pom.xml has no flink.version property");
            return m.group(1).trim();
        } catch (IOException e) {
            throw new AssertionError("cannot read pom.xml", e);
        }
    }

    @Test
    void kafkaClusterIsKraftWithExactlyOnceSettings() throws Exception {
        Doc kafka = single("Kafka");
        assertTrue(kafka.node().path("apiVersion").asText().startsWith("kafka.strimzi.io/"), kafka.where());
        JsonNode pools = null;
        int brokers = 0;
        for (Doc pool : ofKind("KafkaNodePool")) {
            pools = pool.node();
            assertEquals(
                    kafka.name(),
                    pool.node().at("/metadata/labels/strimzi.io~1cluster").asText(),
                    pool.where() + ": strimzi.io/cluster label must name the Kafka cluster");
            Set<String> roles = new TreeSet<>();
            pool.node().path("spec").path("roles").forEach(r -> roles.add(r.asText()));
            assertFalse(roles.isEmpty(), pool.where() + ": spec.roles is required");
            assertTrue(pool.node().path("spec").has("storage"), pool.where() + ": spec.storage is required");
            if (roles.contains("broker")) {
                brokers += pool.node().path("spec").path("replicas").asInt();
            }
        }
        assertNotNull(pools, "KRaft mode needs a KafkaNodePool");
        assertEquals(3, brokers, "3 brokers");
        assertTrue(
                ofKind("KafkaNodePool").stream()
                        .anyMatch(p ->
                                p.node().path("spec").path("roles").toString().contains("controller")),
                "KRaft needs a node pool with the controller role");
        JsonNode config = kafka.node().path("spec").path("kafka").path("config");
        assertEquals(3, config.path("transaction.state.log.replication.factor").asInt());
        assertEquals(2, config.path("transaction.state.log.min.isr").asInt());
        long maxTimeout = config.path("transaction.max.timeout.ms").asLong();
        assertEquals(900000, maxTimeout);
        Doc cm = configMap(mountedConfigMapName());
        long sinkTimeout = CurateSpec.parse(text(cm.node(), "/data/curate.yaml", cm.where()), cm.where(), null)
                .kafka()
                .transactionTimeoutMs();
        assertTrue(
                sinkTimeout <= maxTimeout,
                "the job's transaction.timeout.ms " + sinkTimeout
                        + " must not exceed the broker's transaction.max.timeout.ms " + maxTimeout);
        assertTrue(
                kafka.node().path("spec").path("entityOperator").has("topicOperator"),
                "the Topic Operator must run for the KafkaTopic resources to become topics");
    }

    @Test
    void kafkaIsReachedOverTlsWithScramAndAcls() {
        Doc kafka = single("Kafka");
        JsonNode spec = kafka.node().path("spec").path("kafka");
        JsonNode secured = null;
        for (JsonNode l : spec.path("listeners")) {
            assertTrue(
                    l.path("tls").asBoolean() && l.at("/authentication/type").isTextual(),
                    kafka.where() + ": listener " + l.path("name").asText()
                            + " must use TLS and authenticate its clients");
            if (l.at("/authentication/type").asText().equals("scram-sha-512")) {
                secured = l;
            }
        }
        assertNotNull(secured, kafka.where() + ": no TLS listener with SCRAM-SHA-512");
        assertEquals(
                "simple", spec.at("/authorization/type").asText(), kafka.where() + ": ACLs need simple authorization");
        assertTrue(
                kafka.node().path("spec").path("entityOperator").has("userOperator"),
                kafka.where() + ": the User Operator must run for KafkaUser resources to become users and ACLs");
        String servers = clusterCurateYaml().at("/kafka/bootstrapServers").asText();
        assertEquals(
                kafka.name() + "-kafka-bootstrap:" + secured.path("port").asInt(),
                servers,
                "the ConfigMap's kafka.bootstrapServers must be the SCRAM listener's port");
        JsonNode props = clusterCurateYaml().at("/kafka/properties");
        assertEquals("SASL_SSL", props.path("security.protocol").asText(), "kafka.properties: security.protocol");
        assertEquals("SCRAM-SHA-512", props.path("sasl.mechanism").asText(), "kafka.properties: sasl.mechanism");
    }

    /**
     * The job's client properties read the user's Secret and the cluster CA's certificate from
     * directories the pod template mounts from exactly those Secrets.
     */
    @Test
    void clientPropertiesReadTheMountedSecretsOfTheJobsKafkaUser() {
        JsonNode props = clusterCurateYaml().at("/kafka/properties");
        String jaas = props.path("sasl.jaas.config").asText();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{(\\w+):([^:}]+):([^}]+)}")
                .matcher(jaas);
        assertTrue(m.matches(), "kafka.properties sasl.jaas.config must be a config-provider reference, is " + jaas);
        assertEquals(
                "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
                props.path("config.providers." + m.group(1) + ".class").asText(),
                "provider " + m.group(1));
        String user = mountedSecret(m.group(2), m.group(3));
        Doc kafkaUser = ofKind("KafkaUser").stream()
                .filter(u -> u.name().equals(user))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the pods mount Secret " + user + " but no KafkaUser makes it"));
        assertEquals(
                "scram-sha-512",
                kafkaUser.node().at("/spec/authentication/type").asText(),
                kafkaUser.where());
        assertEquals("PEM", props.path("ssl.truststore.type").asText(), "kafka.properties: ssl.truststore.type");
        Path ca = Path.of(props.path("ssl.truststore.location").asText());
        assertEquals(
                single("Kafka").name() + "-cluster-ca-cert",
                mountedSecret(ca.getParent().toString(), ca.getFileName().toString()),
                "the truststore must be the cluster CA certificate Strimzi publishes");
    }

    /** The Secret mounted at {@code dir} in flink-main-container, which must project {@code key}. */
    private static String mountedSecret(String dir, String key) {
        JsonNode pod = flinkDeployment().path("spec").path("podTemplate").path("spec");
        String volume = null;
        for (JsonNode mount : mainContainer(pod).path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(dir)) {
                volume = mount.path("name").asText();
            }
        }
        assertNotNull(volume, "flink-main-container mounts nothing at " + dir);
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                String secret = text(v, "/secret/secretName", "pod template volume " + volume);
                boolean projected = !v.at("/secret/items").isArray();
                for (JsonNode item : v.at("/secret/items")) {
                    projected |= item.path("key").asText().equals(key)
                            && item.path("path").asText().equals(key);
                }
                assertTrue(projected, "volume " + volume + " does not project key " + key + " of Secret " + secret);
                return secret;
            }
        }
        throw new AssertionError("pod template has no volume named " + volume);
    }

    /** Every name the job uses on Kafka is granted to its KafkaUser with the operations it needs. */
    @Test
    void theJobsKafkaUserIsGrantedWhatTheJobDoes() {
        JsonNode c = clusterCurateYaml();
        Doc kafkaUser = ofKind("KafkaUser").stream()
                .filter(u -> u.name().equals("strata-curate"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaUser strata-curate"));
        assertEquals(
                single("Kafka").name(),
                kafkaUser.node().at("/metadata/labels/strimzi.io~1cluster").asText(),
                kafkaUser.where() + ": strimzi.io/cluster");
        String prefix = dev.strata.job.CurateSpec.parse(
                        text(configMap(mountedConfigMapName()).node(), "/data/curate.yaml", "ConfigMap"),
                        "ConfigMap",
                        null)
                .kafka()
                .transactionalIdPrefix();
        Map<String, Set<String>> needs = new java.util.LinkedHashMap<>();
        needs.put("topic " + c.at("/kafka/inputTopic").asText(), Set.of("Describe", "Read"));
        needs.put("group " + c.at("/kafka/groupId").asText(), Set.of("Read"));
        for (String t : List.of(
                c.at("/kafka/outputTopic").asText(),
                "curated.changelog",
                c.at("/kafka/deadLetterTopic").asText())) {
            needs.put("topic " + t, Set.of("Describe", "Write"));
        }
        needs.put("transactionalId " + prefix + "-", Set.of("Describe", "Write"));
        for (var need : needs.entrySet()) {
            String[] r = need.getKey().split(" ", 2);
            Set<String> granted = new TreeSet<>();
            for (JsonNode acl : kafkaUser.node().at("/spec/authorization/acls")) {
                JsonNode res = acl.path("resource");
                boolean prefixed = res.path("patternType").asText("literal").equals("prefix");
                if (res.path("type").asText().equals(r[0])
                        && (prefixed
                                ? r[1].startsWith(res.path("name").asText())
                                : r[1].equals(res.path("name").asText()))) {
                    acl.path("operations").forEach(o -> granted.add(o.asText()));
                }
            }
            assertTrue(
                    granted.containsAll(need.getValue()),
                    kafkaUser.where() + ": " + need.getKey() + " needs " + need.getValue() + ", granted " + granted);
        }
    }

    @Test
    void topicsAreStrimziResourcesOfTheCluster() {
        String cluster = single("Kafka").name();
        List<Doc> topics = ofKind("KafkaTopic");
        assertEquals(Set.of("embeddings", "curated", "curated.changelog", "embeddings.dlq"), topicNames());
        for (Doc t : topics) {
            assertEquals(
                    cluster,
                    t.node().at("/metadata/labels/strimzi.io~1cluster").asText(),
                    t.where() + ": strimzi.io/cluster label must name the Kafka cluster " + cluster);
            JsonNode spec = t.node().path("spec");
            assertTrue(
                    spec.path("partitions").isInt() && spec.path("partitions").asInt() > 0, t.where() + ": partitions");
            assertTrue(spec.path("replicas").isInt() && spec.path("replicas").asInt() > 0, t.where() + ": replicas");
            assertTrue(spec.path("replicas").asInt() <= 3, t.where() + ": more replicas than brokers");
        }
        assertEquals(4, topic("embeddings").node().at("/spec/partitions").asInt());
        assertEquals(4, topic("curated").node().at("/spec/partitions").asInt());
        assertEquals(4, topic("curated.changelog").node().at("/spec/partitions").asInt());
        assertEquals(1, topic("embeddings.dlq").node().at("/spec/partitions").asInt());
        assertEquals(
                "compact",
                topic("curated.changelog")
                        .node()
                        .at("/spec/config/cleanup.policy")
                        .asText(),
                "curated.changelog must be compacted");
    }

    @Test
    void clusterCurateYamlHasTheJobsKeysAndExistingTopics() {
        JsonNode c = clusterCurateYaml();
        String w = "curate.yaml of ConfigMap " + mountedConfigMapName();
        for (String path : List.of(
                "/kafka/bootstrapServers",
                "/kafka/inputTopic",
                "/kafka/outputTopic",
                "/kafka/deadLetterTopic",
                "/model",
                "/mode")) {
            text(c, path, w);
        }
        assertTrue(c.path("quota").isObject(), w + ": quota");
        assertTrue(
                c.path("quota").has("keepFraction")
                        || c.path("quota").has("target") && c.path("quota").has("expectedVolume"),
                w + ": quota needs target + expectedVolume or keepFraction");
        Set<String> topics = topicNames();
        for (String key : List.of("inputTopic", "outputTopic", "deadLetterTopic")) {
            String topic = c.path("kafka").path(key).asText();
            assertTrue(
                    topics.contains(topic),
                    w + ": kafka." + key + " " + topic + " has no KafkaTopic; topics are " + topics);
        }
        assertTrue(
                c.at("/kafka/bootstrapServers")
                        .asText()
                        .startsWith(single("Kafka").name() + "-kafka-bootstrap"),
                w + ": bootstrapServers must be the Strimzi bootstrap service <cluster>-kafka-bootstrap");
        assertTrue(
                c.path("model").asText().startsWith("s3://"),
                w + ": model must be on s3:// (every task manager reads it)");
        assertTrue(Set.of("admission", "exact").contains(c.path("mode").asText()), w + ": mode");
        if (c.path("mode").asText().equals("exact")) {
            assertEquals(
                    "curated.changelog", c.at("/kafka/outputTopic").asText(), w + ": exact mode writes the changelog");
        }
        // Flink owns Flink's settings: a job-file key would win over spec.job.parallelism, the
        // autoscaler and flinkConfiguration
        assertTrue(
                c.path("parallelism").isMissingNode() && c.path("checkpointing").isMissingNode(),
                w + ": leave parallelism and checkpointing to the FlinkDeployment");
        assertFalse(
                flinkConf().path("execution.checkpointing.timeout").asText().isBlank(),
                "the FlinkDeployment must bound the checkpoint timeout (Flink's 10 min default outlives the sinks' transactions)");
    }

    @Test
    void clusterCurateYamlKeepsTheFormatOfFlinkJobsCurateYaml() throws IOException {
        JsonNode local = readAll(root.resolve("flink-jobs/curate.yaml")).get(0);
        JsonNode cluster = clusterCurateYaml();
        Set<String> missing = new TreeSet<>(keyPaths(local, ""));
        missing.removeAll(keyPaths(cluster, ""));
        assertTrue(missing.isEmpty(), "the ConfigMap's curate.yaml lacks keys of flink-jobs/curate.yaml: " + missing);
        Set<String> extra = new TreeSet<>(keyPaths(cluster, ""));
        extra.removeAll(keyPaths(local, ""));
        // client properties belong to the cluster they reach: the local broker has none, the
        // Strimzi cluster its TLS + SCRAM settings (kafka.properties is a key of both formats)
        extra.removeIf(k -> k.equals("kafka.properties") || k.startsWith("kafka.properties."));
        assertTrue(
                extra.isEmpty(), "the ConfigMap's curate.yaml has keys flink-jobs/curate.yaml does not know: " + extra);
    }

    private static Set<String> keyPaths(JsonNode n, String prefix) {
        Set<String> out = new TreeSet<>();
        n.fields().forEachRemaining(e -> {
            String p = prefix + e.getKey();
            out.add(p);
            if (e.getValue().isObject()) {
                out.addAll(keyPaths(e.getValue(), p + "."));
            }
        });
        return out;
    }

    @Test
    void bootstrapJobRunsTheBootstrapCommandOnItsConfigMap() {
        Doc job = docs.stream()
                .filter(d -> d.kind().equals("Job") && d.name().equals("strata-bootstrap"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Job strata-bootstrap under k8s/"));
        assertEquals("batch/v1", job.node().path("apiVersion").asText(), job.where());
        JsonNode pod = job.node().at("/spec/template/spec");
        assertEquals("Never", pod.path("restartPolicy").asText(), job.where() + ": restartPolicy");
        JsonNode bootstrap = null;
        for (JsonNode c : pod.path("initContainers")) {
            if (c.path("name").asText().equals("bootstrap")) {
                bootstrap = c;
            }
        }
        assertNotNull(bootstrap, job.where() + ": no bootstrap container");
        List<String> cmd = new ArrayList<>();
        bootstrap.path("command").forEach(a -> cmd.add(a.asText()));
        bootstrap.path("args").forEach(a -> cmd.add(a.asText()));
        assertTrue(cmd.contains("dev.strata.cli.Strata") && cmd.contains("bootstrap"), job.where() + ": " + cmd);
        assertTrue(
                cmd.contains("jdk.incubator.vector"),
                job.where() + ": the JVM needs --add-modules jdk.incubator.vector");
        assertEquals(
                flinkDeployment().path("spec").path("image").asText(),
                bootstrap.path("image").asText(),
                job.where() + ": the bootstrap step runs the job image");
        String config = cmd.get(cmd.indexOf("--config") + 1);
        assertTrue(config.startsWith("/opt/strata/flink-jobs/"), job.where() + ": --config " + config);
        String volume = null;
        for (JsonNode m : bootstrap.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals("/opt/strata/flink-jobs")) {
                volume = m.path("name").asText();
            }
        }
        assertNotNull(volume, job.where() + ": the config folder is not mounted");
        String cmName = null;
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                cmName = v.at("/configMap/name").asText();
            }
        }
        Doc cm = configMap(cmName);
        String key = config.substring("/opt/strata/flink-jobs/".length());
        JsonNode b = yamlText(text(cm.node(), "/data/" + key, cm.where()), cm.where() + " data." + key);
        assertEquals("bootstrap", b.path("job").asText(), cm.where() + ": job");
        for (String k : List.of("input", "out", "levels")) {
            assertTrue(b.has(k), cm.where() + ": " + key + " lacks " + k);
        }
        Set<String> missing = new TreeSet<>();
        try {
            JsonNode local = readAll(root.resolve("flink-jobs/bootstrap.yaml")).get(0);
            missing.addAll(keyPaths(local, ""));
        } catch (IOException e) {
            fail(e);
        }
        missing.removeAll(keyPaths(b, ""));
        assertTrue(missing.isEmpty(), cm.where() + ": lacks keys of flink-jobs/bootstrap.yaml: " + missing);
    }

    /** The cluster bootstrap: BootstrapMain in BATCH mode, on a config the cluster bootstrap's own parser accepts. */
    @Test
    void bootstrapDeploymentRunsTheClusterBootstrapInBatchMode() {
        Doc fd = ofKind("FlinkDeployment").stream()
                .filter(d -> d.name().equals("strata-bootstrap"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no FlinkDeployment strata-bootstrap under k8s/"));
        JsonNode n = fd.node();
        String w = fd.where();
        assertEquals("flink.apache.org/v1beta1", n.path("apiVersion").asText(), w + ": apiVersion");
        assertEquals(
                flinkDeployment().path("spec").path("flinkVersion").asText(),
                n.at("/spec/flinkVersion").asText(),
                w + ": the same Flink as the curation job");
        assertEquals(
                flinkDeployment().path("spec").path("image").asText(),
                n.at("/spec/image").asText(),
                w + ": the job image");
        assertEquals(
                "BATCH", n.at("/spec/flinkConfiguration/execution.runtime-mode").asText(), w + ": runtime mode");
        n.at("/spec/flinkConfiguration")
                .fields()
                .forEachRemaining(e -> assertTrue(
                        e.getValue().isTextual(),
                        w + ": flinkConfiguration." + e.getKey() + " must be a string (quote it)"));
        JsonNode job = n.path("spec").path("job");
        assertEquals("dev.strata.bootstrap.flink.BootstrapMain", text(job, "/entryClass", w), w + ": job.entryClass");
        assertEquals(flinkDeployment().at("/spec/job/jarURI").asText(), text(job, "/jarURI", w), w + ": job.jarURI");
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        String config = args.get(args.indexOf("--config") + 1);
        assertTrue(config.startsWith("/opt/strata/flink-jobs/"), w + ": --config " + config);
        JsonNode pod = n.at("/spec/podTemplate/spec");
        String volume = null;
        for (JsonNode m : mainContainer(pod).path("volumeMounts")) {
            if (m.path("mountPath").asText().equals("/opt/strata/flink-jobs")) {
                volume = m.path("name").asText();
            }
        }
        String cmName = null;
        for (JsonNode v : pod.path("volumes")) {
            if (v.path("name").asText().equals(volume)) {
                cmName = v.at("/configMap/name").asText();
            }
        }
        Doc cm = configMap(cmName);
        String key = config.substring("/opt/strata/flink-jobs/".length());
        dev.strata.bootstrap.flink.ClusterBootstrapSpec spec = dev.strata.bootstrap.flink.ClusterBootstrapSpec.parse(
                text(cm.node(), "/data/" + key, cm.where()), cm.where() + " data." + key, null);
        assertTrue(
                spec.input.startsWith("/pools/"),
                cm.where() + ": the pool must be on the shared volume, is " + spec.input);
    }

    @Test
    void flinkJobsFilesParse() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(root.resolve("flink-jobs"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no flink-jobs/*.yaml");
        for (Path f : files) {
            List<JsonNode> all = readAll(f);
            assertEquals(1, all.size(), f + ": one document expected");
            assertTrue(all.get(0).isObject(), f + " is not a mapping");
            text(all.get(0), "/job", root.relativize(f).toString());
        }
    }
}
