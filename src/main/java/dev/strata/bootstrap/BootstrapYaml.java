package dev.strata.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.StrataException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * flink-jobs/bootstrap.yaml read strictly, the one reader of `strata bootstrap --config` and of the
 * cluster bootstrap (`strata submit`, BootstrapMain): unknown or repeated keys, nulls, blanks and
 * values of the wrong kind (a word where a number belongs, a fraction where an integer belongs)
 * are refused with one line naming the key, never replaced by a default. Each reader adds the
 * keys only it takes (the local run's workDir, the cluster run's parallelism and sampleRows).
 */
public final class BootstrapYaml {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    /** What a key takes. */
    public enum Kind {
        TEXT("a string"),
        INTEGER("an integer"),
        POSITIVE("an integer >= 1"),
        NUMBER("a number"),
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
                case POSITIVE -> v.isInt() && v.intValue() >= 1;
                case NUMBER -> v.isNumber();
                case INTEGERS -> v.isInt() || v.isArray() && v.size() > 0 && all(v, JsonNode::isInt);
                case LEVELS ->
                    v.isTextual() && v.asText().equals("auto")
                            || v.isArray() && v.size() > 0 && all(v, JsonNode::isInt);
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

    /** The keys both runs take, with their kinds, in the order flink-jobs/bootstrap.yaml lists them. */
    public static Map<String, Kind> commonKeys() {
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
        k.put("threads", Kind.POSITIVE);
        return k;
    }

    private BootstrapYaml() {}

    /** The checked mapping of {@code yaml}; {@code source} names it in every message. */
    public static JsonNode read(String yaml, String source, Map<String, Kind> keys) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new StrataException(source + ": not valid YAML ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw new StrataException(source + ": expected a YAML mapping like flink-jobs/bootstrap.yaml");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Kind kind = keys.get(e.getKey());
            if (kind == null) {
                throw new StrataException(
                        source + ": unknown key '" + e.getKey() + "' (keys: " + String.join(", ", keys.keySet()) + ")");
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
        if (root.has("iters") && !root.path("iters").canConvertToInt()) {
            throw new StrataException(source + ": iters is out of range");
        }
        return root;
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
}
