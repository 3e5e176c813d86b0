package dev.strata.job;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.strata.StrataException;
import dev.strata.sampling.LeafStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Binds a {@link CurateSpec} from YAML or from settings keyed by YAML path, strictly: unknown
 * keys, duplicate keys, nulls, strings where numbers or booleans belong and fractions where
 * integers belong are refused, never coerced, and each refusal names its key. Then the spec's
 * derived defaults are filled in and {@link CurateRules} checked.
 */
final class CurateSpecBinder {
    private static final YAMLMapper MAPPER = mapper();

    private CurateSpecBinder() {}

    /** Enums read and write as their lower-case labels ("admission", "closest"), in any case. */
    abstract static class LabelledEnum {
        @JsonValue
        abstract String label();
    }

    private static YAMLMapper mapper() {
        YAMLMapper m = YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .visibility(PropertyAccessor.ALL, Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, Visibility.ANY)
                .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL))
                .defaultPropertyInclusion(
                        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .addMixIn(EmitMode.class, LabelledEnum.class)
                .addMixIn(LeafStrategy.class, LabelledEnum.class)
                .addMixIn(QuotaPlanMode.class, LabelledEnum.class)
                .addMixIn(WindowTime.class, LabelledEnum.class)
                .build();
        for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            m.coercionConfigFor(t)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m;
    }

    static CurateSpec read(Path file, Path base) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new StrataException(file + ": no such job configuration; see flink-jobs/curate.yaml for an example");
        } catch (IOException e) {
            throw new StrataException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(yaml, file.toString(), base);
    }

    static CurateSpec parse(String yaml, String source, Path base) {
        JsonNode root;
        try {
            root = MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new StrataException(source + ": not valid YAML ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (!(root instanceof ObjectNode tree)) {
            throw new StrataException(source + ": expected a YAML mapping like flink-jobs/curate.yaml");
        }
        resolvePath(tree, "model", base);
        if (tree.get("quota") instanceof ObjectNode quota) {
            resolvePath(quota, "carryOver", base);
        }
        if (tree.get("checkpointing") instanceof ObjectNode cp) {
            resolvePath(cp, "dir", base);
        }
        return bindTree(tree, source);
    }

    static CurateSpec bind(Map<String, ?> settings, String source) {
        ObjectNode tree = MAPPER.createObjectNode();
        put(tree, settings);
        return bindTree(tree, source);
    }

    static CurateSpec with(CurateSpec spec, Map<String, ?> changes) {
        ObjectNode tree = MAPPER.valueToTree(spec);
        put(tree, changes);
        return bindTree(tree, null);
    }

    static String toYaml(CurateSpec spec) {
        try {
            return MAPPER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String defaultOf(String key) {
        JsonNode n = MAPPER.valueToTree(new CurateSpec()).at("/" + key.replace('.', '/'));
        return n.isValueNode() ? n.asText() : null;
    }

    private static void put(ObjectNode tree, Map<String, ?> settings) {
        for (Map.Entry<String, ?> e : settings.entrySet()) {
            String[] path = e.getKey().split("\\.");
            ObjectNode parent = tree;
            for (int i = 0; i < path.length - 1; i++) {
                parent = parent.get(path[i]) instanceof ObjectNode o ? o : parent.putObject(path[i]);
            }
            parent.set(path[path.length - 1], MAPPER.valueToTree(e.getValue()));
        }
    }

    /** Paths with a scheme (s3://, file://) stay as they are; plain relative paths resolve against base. */
    private static void resolvePath(ObjectNode node, String key, Path base) {
        JsonNode v = node.get(key);
        if (base == null || v == null || !v.isTextual()) {
            return;
        }
        String path = v.asText();
        if (!path.contains("://") && !path.isBlank() && !Path.of(path).isAbsolute()) {
            node.put(key, base.resolve(path).normalize().toString());
        }
    }

    private static CurateSpec bindTree(ObjectNode tree, String source) {
        CurateSpec spec;
        try {
            spec = MAPPER.treeToValue(tree, CurateSpec.class);
        } catch (JsonMappingException e) {
            throw new ConfigProblem(source, describe(e, tree));
        } catch (InputCoercionException e) {
            throw new ConfigProblem(
                    source,
                    "a number is out of range ("
                            + ConfigProblem.literal(
                                    e.getOriginalMessage().lines().findFirst().orElse("")) + ")");
        } catch (JsonProcessingException e) {
            throw new ConfigProblem(source, ConfigProblem.literal(e.getOriginalMessage()));
        }
        spec.kafka().deriveDefaults();
        try {
            CurateRules.check(spec);
        } catch (ConfigProblem p) {
            throw p.from(source);
        }
        return spec;
    }

    /** Jackson's refusal in the user's words: which key, what was written, what it must be. */
    private static String describe(JsonMappingException e, JsonNode tree) {
        List<String> path = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.add(r.getFieldName());
            }
        }
        String key = String.join(".", path);
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = path.size() > 1 ? String.join(".", path.subList(0, path.size() - 1)) : "";
            TreeSet<String> known = new TreeSet<>();
            u.getKnownPropertyIds().forEach(k -> known.add(k.toString()));
            return "unknown key " + ConfigProblem.literal(key) + " (keys "
                    + (parent.isEmpty() ? "at the top" : "under " + parent) + ": " + String.join(", ", known) + ")";
        }
        if (e instanceof InvalidNullException) {
            return "{" + key + "}: needs a value";
        }
        JsonNode value = tree;
        for (String p : path) {
            value = value.path(p);
        }
        if (value.isNumber() && String.valueOf(e.getOriginalMessage()).contains("out of range")) {
            return "{" + key + "}: " + value.asText() + " is out of range";
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (value.isMissingNode() || target == null) {
            return (key.isEmpty() ? "" : "{" + key + "}: ")
                    + ConfigProblem.literal(
                            e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        return "{" + key + "}: " + shown(value) + " is not " + expected(target);
    }

    private static String shown(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.isTextual() ? ConfigProblem.quote(v.asText()) : ConfigProblem.literal(v.toString());
    }

    private static String expected(Class<?> t) {
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "an integer";
        }
        if (t == double.class || t == Double.class) {
            return "a number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        if (t.isEnum()) {
            return "one of "
                    + Arrays.stream(t.getEnumConstants())
                            .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
                            .collect(Collectors.joining(", "));
        }
        return "a mapping";
    }
}
