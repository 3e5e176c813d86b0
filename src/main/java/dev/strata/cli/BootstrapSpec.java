package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.StrataException;
import dev.strata.local.ProjectHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A bootstrap job as written in flink-jobs/bootstrap.yaml: the same settings as the flags of
 * `strata bootstrap`, for runs that are scripted or run as a Kubernetes Job. Relative paths
 * resolve against the project folder; unknown keys are refused.
 */
final class BootstrapSpec {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> KEYS = List.of("job", "input", "out", "levels", "sampleSizes", "resampleSteps",
            "resampling", "iters", "tolerance", "init", "metric", "seed", "threads");

    private final JsonNode root;
    private final String name;

    private BootstrapSpec(JsonNode root, String name) {
        this.root = root;
        this.name = name;
    }

    static BootstrapSpec read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new StrataException(file + ": no such job configuration; see flink-jobs/bootstrap.yaml for an example");
        } catch (IOException e) {
            throw new StrataException(file + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw new StrataException(file + ": expected a YAML mapping like flink-jobs/bootstrap.yaml");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new StrataException(file + ": unknown key(s) " + unknown + "; allowed: " + KEYS);
        }
        if (root.has("job") && !"bootstrap".equals(root.path("job").asText())) {
            throw new StrataException(file + ": job is '" + root.path("job").asText() + "', expected 'bootstrap'");
        }
        return new BootstrapSpec(root, file.toString());
    }

    void applyTo(BootstrapCommand cmd) {
        Path home = ProjectHome.find();
        cmd.input = root.has("input") ? home.resolve(root.path("input").asText()) : null;
        cmd.out = root.has("out") ? home.resolve(root.path("out").asText()) : null;
        cmd.levels = list("levels");
        cmd.sampleSizes = list("sampleSizes");
        if (root.has("resampleSteps")) {
            cmd.resampleSteps = list("resampleSteps");
        }
        cmd.resampling = root.path("resampling").asText(cmd.resampling);
        cmd.iters = root.path("iters").asInt(cmd.iters);
        cmd.tolerance = root.path("tolerance").asDouble(cmd.tolerance);
        cmd.init = root.path("init").asText(cmd.init);
        cmd.metric = root.path("metric").asText(cmd.metric);
        cmd.seed = root.path("seed").asLong(cmd.seed);
        if (root.has("threads")) {
            cmd.threads = root.path("threads").asInt();
        }
    }

    /** A YAML list or a single number, as the comma-separated form the flags take. */
    private String list(String key) {
        JsonNode v = root.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(e.asText()));
            return parts.stream().collect(Collectors.joining(","));
        }
        if (!v.canConvertToInt() && !v.isTextual()) {
            throw new StrataException(name + ": " + key + " must be a list of integers like [1000, 300]");
        }
        return v.asText();
    }
}
