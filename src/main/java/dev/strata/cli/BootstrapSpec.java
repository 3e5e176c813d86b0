package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.StrataException;
import dev.strata.bootstrap.BootstrapYaml;
import dev.strata.local.ProjectHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bootstrap job as written in flink-jobs/bootstrap.yaml: the same settings as the flags of
 * `strata bootstrap`, for runs that are scripted or run as a Kubernetes Job. Relative paths
 * resolve against the project folder. Read strictly, by the reader the cluster bootstrap shares
 * ({@link BootstrapYaml}).
 */
final class BootstrapSpec {
    /** The keys both runs take, and the local run's own: workDir (a resumable run's checkpoints). */
    private static final Map<String, BootstrapYaml.Kind> KEYS = keys();

    private static Map<String, BootstrapYaml.Kind> keys() {
        Map<String, BootstrapYaml.Kind> k = BootstrapYaml.commonKeys();
        k.put("workDir", BootstrapYaml.Kind.TEXT);
        return k;
    }

    private final JsonNode root;

    private BootstrapSpec(JsonNode root) {
        this.root = root;
    }

    static BootstrapSpec read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new StrataException(
                    file + ": no such job configuration; see flink-jobs/bootstrap.yaml for an example");
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read: " + e.getMessage());
        }
    }

    static BootstrapSpec parse(String yaml, String source) {
        return new BootstrapSpec(BootstrapYaml.read(yaml, source, KEYS));
    }

    void applyTo(BootstrapCommand cmd) {
        Path home = ProjectHome.find();
        cmd.input = root.has("input") ? resolve(home, root.path("input").asText()) : null;
        cmd.out = root.has("out") ? home.resolve(root.path("out").asText()) : null;
        cmd.levels = list("levels");
        cmd.sampleSizes = list("sampleSizes");
        if (root.has("resampleSteps")) {
            cmd.resampleSteps = list("resampleSteps");
        }
        if (root.has("splits")) {
            cmd.splits = list("splits");
        }
        cmd.resampling = root.path("resampling").asText(cmd.resampling);
        cmd.iters = root.has("iters") ? root.path("iters").intValue() : cmd.iters;
        cmd.tolerance = root.has("tolerance") ? root.path("tolerance").doubleValue() : cmd.tolerance;
        cmd.init = root.path("init").asText(cmd.init);
        cmd.metric = root.path("metric").asText(cmd.metric);
        cmd.seed = root.has("seed") ? root.path("seed").longValue() : cmd.seed;
        if (root.has("threads")) {
            cmd.threads = root.path("threads").intValue();
        }
        cmd.workDir = root.has("workDir") ? home.resolve(root.path("workDir").asText()) : null;
    }

    /** A URI (s3://..., file://...) as written; a path relative to the project folder. */
    private static String resolve(Path home, String input) {
        return input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")
                ? input
                : home.resolve(input).toString();
    }

    /** A YAML list or a single value, as the comma-separated form the flags take (already checked by {@link #parse}). */
    private String list(String key) {
        JsonNode v = root.path(key);
        if (v.isMissingNode()) {
            return null;
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(e.asText()));
            return String.join(",", parts);
        }
        return v.asText();
    }
}
