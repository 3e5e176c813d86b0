package dev.strata.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A bootstrap job as written in flink-jobs/bootstrap.yaml: the same settings as the flags of
 * `strata bootstrap`, for runs that are scripted or run as a Kubernetes Job. Relative paths
 * resolve against the project folder. Read strictly: unknown or repeated keys, nulls, and values
 * of the wrong kind (a word where a number belongs, a fraction where an integer belongs) are
 * refused with the key's name, never replaced by a default.
 */
final class BootstrapSpec {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /** What each key takes. */
    private enum Kind {
        TEXT("a string"), INTEGER("an integer"), NUMBER("a number"),
        INTEGERS("an integer or a list of integers like [1000, 300]"),
        LEVELS("a list of integers like [1000, 300], or auto");

        final String expected;

        Kind(String expected) {
            this.expected = expected;
        }

        boolean accepts(JsonNode v) {
            return switch (this) {
                case TEXT -> v.isTextual();
                case INTEGER -> v.isIntegralNumber() && v.canConvertToLong();
                case NUMBER -> v.isNumber();
                case INTEGERS -> v.isInt() || v.isArray() && v.size() > 0 && all(v, JsonNode::isInt);
                case LEVELS -> v.isTextual() && v.asText().equals("auto") || v.isArray() && v.size() > 0 && all(v, JsonNode::isInt);
            };
        }

        private static boolean all(JsonNode array, Predicate<JsonNode> test) {
            for (JsonNode e : array) {
                if (!test.test(e)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Map<String, Kind> KEYS = keys();

    private static Map<String, Kind> keys() {
        Map<String, Kind> k = new LinkedHashMap<>();
        k.put("job", Kind.TEXT);
        k.put("input", Kind.TEXT);
        k.put("out", Kind.TEXT);
        k.put("levels", Kind.LEVELS);
        k.put("sampleSizes", Kind.INTEGERS);
        k.put("resampleSteps", Kind.INTEGERS);
        k.put("splits", Kind.INTEGERS);
        k.put("resampling", Kind.TEXT);
        k.put("iters", Kind.INTEGER);
        k.put("tolerance", Kind.NUMBER);
        k.put("init", Kind.TEXT);
        k.put("metric", Kind.TEXT);
        k.put("seed", Kind.INTEGER);
        k.put("threads", Kind.INTEGER);
        k.put("workDir", Kind.TEXT);
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
            throw new StrataException(file + ": no such job configuration; see flink-jobs/bootstrap.yaml for an example");
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read: " + e.getMessage());
        }
    }

    static BootstrapSpec parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new StrataException(source + ": not valid YAML (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw new StrataException(source + ": expected a YAML mapping like flink-jobs/bootstrap.yaml");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Kind kind = KEYS.get(e.getKey());
            if (kind == null) {
                throw new StrataException(source + ": unknown key '" + e.getKey() + "' (keys: " + String.join(", ", KEYS.keySet()) + ")");
            }
            JsonNode v = e.getValue();
            if (v.isNull() || v.isTextual() && v.asText().isBlank()) {
                throw new StrataException(source + ": " + e.getKey() + " needs a value");
            }
            if (!kind.accepts(v)) {
                throw new StrataException(source + ": " + e.getKey() + ": " + shown(v) + " is not " + kind.expected);
            }
        }
        if (root.has("job") && !"bootstrap".equals(root.path("job").asText())) {
            throw new StrataException(source + ": job is '" + root.path("job").asText() + "', expected 'bootstrap'");
        }
        if (root.has("seed") && !root.path("seed").canConvertToLong() || root.has("iters") && !root.path("iters").canConvertToInt()
                || root.has("threads") && !root.path("threads").canConvertToInt()) {
            throw new StrataException(source + ": a number is out of range");
        }
        return new BootstrapSpec(root);
    }

    private static String shown(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "the list " + v;
        }
        return v.isTextual() ? "'" + v.asText() + "'" : v.toString();
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
        return input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") ? input : home.resolve(input).toString();
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
