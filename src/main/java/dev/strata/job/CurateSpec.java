package dev.strata.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.StrataException;
import dev.strata.sampling.LeafStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A curate job as written in flink-jobs/curate.yaml: the job's {@link CurateConfig} plus how it
 * runs (name, parallelism, checkpointing). The same file drives `strata curate --config`,
 * `strata submit` and the Kubernetes deployment. Unknown keys are refused so a typo cannot
 * silently fall back to a default.
 */
public record CurateSpec(String name, CurateConfig config, int parallelism, long checkpointIntervalMs,
        String checkpointDir) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> TOP_KEYS = List.of("job", "name", "kafka", "model", "quota", "mode", "strategy",
            "seed", "beam", "bounded", "parallelism", "checkpointing", "assignBatch", "assignMaxDelayMs");
    private static final List<String> KAFKA_KEYS = List.of("bootstrapServers", "inputTopic", "outputTopic",
            "deadLetterTopic", "groupId", "transactionalIdPrefix");
    private static final List<String> QUOTA_KEYS = List.of("target", "expectedVolume", "keepFraction");
    private static final List<String> CHECKPOINT_KEYS = List.of("intervalMs", "dir");

    /**
     * @param base folder relative paths resolve against (the project folder), or null to keep them as written
     */
    public static CurateSpec read(Path file, Path base) {
        try {
            return parse(Files.readString(file), file.toString(), base);
        } catch (NoSuchFileException e) {
            throw new StrataException(file + ": no such job configuration; see flink-jobs/curate.yaml for an example");
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * @param base folder relative paths resolve against (null: leave them as written)
     */
    public static CurateSpec parse(String yaml, String name, Path base) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new StrataException(name + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw new StrataException(name + ": expected a YAML mapping like flink-jobs/curate.yaml");
        }
        refuseUnknown(root, TOP_KEYS, "", name);
        refuseUnknown(root.path("kafka"), KAFKA_KEYS, "kafka.", name);
        refuseUnknown(root.path("quota"), QUOTA_KEYS, "quota.", name);
        refuseUnknown(root.path("checkpointing"), CHECKPOINT_KEYS, "checkpointing.", name);
        if (root.has("job") && !"curate".equals(root.path("job").asText())) {
            throw new StrataException(name + ": job is '" + root.path("job").asText() + "', expected 'curate'");
        }
        JsonNode kafka = root.path("kafka");
        String input = required(kafka, "inputTopic", name, "kafka.");
        String output = required(kafka, "outputTopic", name, "kafka.");
        String dlq = kafka.path("deadLetterTopic").asText(defaultDeadLetterTopic(input));
        String group = kafka.path("groupId").asText(defaultGroupId(output));
        JsonNode quota = root.path("quota");
        if (quota.has("keepFraction") && (quota.has("target") || quota.has("expectedVolume"))) {
            throw new StrataException(name + ": give quota.target with quota.expectedVolume, or quota.keepFraction, not both");
        }
        String model = resolve(required(root, "model", name, ""), base);
        CurateConfig cfg = new CurateConfig(
                kafka.path("bootstrapServers").asText("127.0.0.1:9092"), input, output, dlq, model, "", 0,
                quota.path("target").asLong(0), quota.path("expectedVolume").asLong(0), quota.path("keepFraction").asDouble(0),
                EmitMode.parse(root.path("mode").asText("admission")),
                LeafStrategy.parse(root.path("strategy").asText("random")),
                root.path("seed").asLong(0), root.path("beam").asInt(0), root.path("bounded").asBoolean(false),
                group, kafka.path("transactionalIdPrefix").asText(defaultTransactionalIdPrefix(group, output)),
                root.path("assignBatch").asInt(64), root.path("assignMaxDelayMs").asLong(20));
        JsonNode cp = root.path("checkpointing");
        int parallelism = root.path("parallelism").asInt(2);
        if (parallelism < 1) {
            throw new StrataException(name + ": parallelism must be >= 1");
        }
        return new CurateSpec(root.path("name").asText("strata-curate"), cfg, parallelism,
                cp.path("intervalMs").asLong(5000), resolve(cp.path("dir").asText(".strata/checkpoints"), base));
    }

    /** Where invalid records of an input topic go unless told otherwise. */
    public static String defaultDeadLetterTopic(String inputTopic) {
        return inputTopic + ".dlq";
    }

    /** The consumer group of a job writing to an output topic unless told otherwise. */
    public static String defaultGroupId(String outputTopic) {
        return "strata-" + outputTopic;
    }

    /**
     * Kafka transactional ids must be unique per job and stable across its restarts: two jobs
     * sharing a prefix fence each other's producers. Group and output topic identify a job.
     */
    public static String defaultTransactionalIdPrefix(String groupId, String outputTopic) {
        return "strata-" + groupId + "-" + outputTopic;
    }

    private static void refuseUnknown(JsonNode node, List<String> allowed, String prefix, String name) {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new StrataException(name + ": " + (prefix.isEmpty() ? "the file" : prefix.substring(0, prefix.length() - 1))
                    + " must be a mapping");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                unknown.add(prefix + k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new StrataException(name + ": unknown key(s) " + unknown + "; allowed under " + (prefix.isEmpty() ? "the top"
                    : prefix.substring(0, prefix.length() - 1)) + ": " + allowed);
        }
    }

    private static String required(JsonNode node, String key, String name, String prefix) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull() || v.asText().isBlank()) {
            throw new StrataException(name + ": missing " + prefix + key);
        }
        return v.asText();
    }

    /** Paths with a scheme (s3://, file://) stay as they are; plain relative paths resolve against base. */
    private static String resolve(String path, Path base) {
        if (base == null || path.contains("://") || Path.of(path).isAbsolute()) {
            return path;
        }
        return base.resolve(path).normalize().toString();
    }

    /** This spec as flink-jobs YAML (paths as resolved), the inverse of {@link #parse}. */
    public String toYaml() {
        CurateConfig c = config;
        var root = YAML.createObjectNode();
        root.put("job", "curate");
        root.put("name", name);
        var kafka = root.putObject("kafka");
        kafka.put("bootstrapServers", c.bootstrapServers());
        kafka.put("inputTopic", c.inputTopic());
        kafka.put("outputTopic", c.outputTopic());
        kafka.put("deadLetterTopic", c.deadLetterTopic());
        kafka.put("groupId", c.groupId());
        kafka.put("transactionalIdPrefix", c.transactionalIdPrefix());
        root.put("model", c.modelPath());
        var quota = root.putObject("quota");
        if (c.keepFraction() > 0) {
            quota.put("keepFraction", c.keepFraction());
        } else {
            quota.put("target", c.target());
            quota.put("expectedVolume", c.expectedVolume());
        }
        root.put("mode", c.mode().label());
        root.put("strategy", c.strategy().label());
        root.put("seed", c.seed());
        root.put("beam", c.beam());
        root.put("bounded", c.bounded());
        root.put("parallelism", parallelism);
        root.put("assignBatch", c.assignBatch());
        root.put("assignMaxDelayMs", c.assignMaxDelayMillis());
        var cp = root.putObject("checkpointing");
        cp.put("intervalMs", checkpointIntervalMs);
        cp.put("dir", checkpointDir);
        try {
            return YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public CurateSpec withConfig(CurateConfig c) {
        return new CurateSpec(name, c, parallelism, checkpointIntervalMs, checkpointDir);
    }

    public CurateSpec withParallelism(int p) {
        return new CurateSpec(name, config, p, checkpointIntervalMs, checkpointDir);
    }
}
