package dev.strata.bootstrap.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.StrataException;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelPlan;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.model.Metric;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * flink-jobs/bootstrap.yaml as the cluster bootstrap reads it: the keys of `strata bootstrap
 * --config` (same meaning, same defaults), plus two that only a cluster run has: {@code
 * parallelism} (tasks that scan the pool; Flink's parallelism.default otherwise) and {@code
 * sampleRows} (rows of the uniform sample the first k-means of level 1 runs on). Read strictly:
 * an unknown key or a value of the wrong kind stops the submission with one line.
 */
public final class ClusterBootstrapSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final Set<String> KEYS = Set.of("job", "input", "out", "levels", "sampleSizes", "resampleSteps", "splits",
            "resampling", "iters", "tolerance", "init", "metric", "seed", "threads", "parallelism", "sampleRows");
    /** Default of sampleRows: pools up to this size run level 1's first k-means on every row, as `strata bootstrap` does. */
    public static final int DEFAULT_SAMPLE_ROWS = 1_000_000;

    public String input;
    public String out;
    /** Null for "auto". */
    public List<Integer> levels;
    public List<Integer> sampleSizes;
    public List<Integer> resampleSteps = List.of(10);
    public List<Integer> splits = List.of(1);
    public String resampling = "closest";
    public int iters = 50;
    public double tolerance = 0;
    public String init = "kmeans++";
    public String metric = "l2";
    public long seed = 0;
    public Integer threads;
    public Integer parallelism;
    public int sampleRows = DEFAULT_SAMPLE_ROWS;

    /** Parses the YAML; relative paths resolve against {@code home} (null: as written). */
    public static ClusterBootstrapSpec parse(String yaml, String source, Path home) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new StrataException(source + ": not valid YAML (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw new StrataException(source + ": expected a YAML mapping like flink-jobs/bootstrap.yaml");
        }
        ClusterBootstrapSpec s = new ClusterBootstrapSpec();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (!KEYS.contains(key)) {
                throw new StrataException(source + ": unknown key '" + key + "' (keys: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
            if (v.isNull() || v.isTextual() && v.asText().isBlank()) {
                throw new StrataException(source + ": " + key + " needs a value");
            }
            String at = source + ": " + key;
            switch (key) {
                case "job" -> {
                    if (!"bootstrap".equals(v.asText())) {
                        throw new StrataException(at + " is '" + v.asText() + "', expected 'bootstrap'");
                    }
                }
                case "input" -> s.input = path(text(at, v), home);
                case "out" -> s.out = path(text(at, v), home);
                case "levels" -> s.levels = v.isTextual() && v.asText().equals("auto") ? null : ints(at, v);
                case "sampleSizes" -> s.sampleSizes = ints(at, v);
                case "resampleSteps" -> s.resampleSteps = ints(at, v);
                case "splits" -> s.splits = ints(at, v);
                case "resampling" -> s.resampling = text(at, v);
                case "iters" -> s.iters = integer(at, v);
                case "tolerance" -> {
                    if (!v.isNumber()) {
                        throw new StrataException(at + ": " + v + " is not a number");
                    }
                    s.tolerance = v.doubleValue();
                }
                case "init" -> s.init = text(at, v);
                case "metric" -> s.metric = text(at, v);
                case "seed" -> {
                    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                        throw new StrataException(at + ": " + v + " is not an integer");
                    }
                    s.seed = v.longValue();
                }
                case "threads" -> s.threads = positive(at, v);
                case "parallelism" -> s.parallelism = positive(at, v);
                case "sampleRows" -> s.sampleRows = positive(at, v);
                default -> throw new IllegalStateException(key);
            }
        }
        if (s.input == null || s.out == null || !root.has("levels")) {
            throw new StrataException(source + ": input, out and levels are required (see flink-jobs/bootstrap.yaml)");
        }
        // refuse bad words here, on the client, not in a task
        Init.parse(s.init);
        Metric.parse(s.metric);
        Resampling.parse(s.resampling);
        return s;
    }

    /** The YAML this spec came from, with paths resolved: what `strata submit` sends to the cluster. */
    public String toYaml() {
        ObjectNode n = YAML.createObjectNode();
        n.put("job", "bootstrap");
        n.put("input", input);
        n.put("out", out);
        if (levels == null) {
            n.put("levels", "auto");
        } else {
            n.set("levels", YAML.valueToTree(levels));
        }
        if (sampleSizes != null) {
            n.set("sampleSizes", YAML.valueToTree(sampleSizes));
        }
        n.set("resampleSteps", YAML.valueToTree(resampleSteps));
        n.set("splits", YAML.valueToTree(splits));
        n.put("resampling", resampling);
        n.put("iters", iters);
        n.put("tolerance", tolerance);
        n.put("init", init);
        n.put("metric", metric);
        n.put("seed", seed);
        if (threads != null) {
            n.put("threads", threads);
        }
        if (parallelism != null) {
            n.put("parallelism", parallelism);
        }
        n.put("sampleRows", sampleRows);
        try {
            return YAML.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The levels for a pool of {@code rows} rows, with the defaults of `strata bootstrap`. */
    public List<LevelSpec> levelSpecs(long rows) {
        List<Integer> ks = clusters(rows);
        List<Integer> steps = perLevel("resampleSteps", resampleSteps, ks.size());
        List<Integer> samples = sampleSizes != null ? perLevel("sampleSizes", sampleSizes, ks.size()) : LevelPlan.sampleSizes(rows, ks);
        List<Integer> split = perLevel("splits", splits, ks.size());
        List<LevelSpec> out = new ArrayList<>();
        for (int t = 0; t < ks.size(); t++) {
            out.add(new LevelSpec(ks.get(t), samples.get(t), steps.get(t), split.get(t)));
        }
        return out;
    }

    public List<Integer> clusters(long rows) {
        return levels != null ? levels : LevelPlan.propose(rows).clusters();
    }

    /** Iterations, tolerance, init, metric and seed shared by every level (k is per level). */
    public KMeansConfig base() {
        return new KMeansConfig(1, iters, tolerance, Init.parse(init), Metric.parse(metric), seed);
    }

    public Resampling resamplingMode() {
        return Resampling.parse(resampling);
    }

    public int threadsOr(int fallback) {
        return threads != null ? threads : fallback;
    }

    private static List<Integer> perLevel(String key, List<Integer> v, int levels) {
        if (v.size() == 1) {
            return java.util.Collections.nCopies(levels, v.get(0));
        }
        if (v.size() != levels) {
            throw new StrataException(key + ": " + v.size() + " values for " + levels + " levels; give one per level or one for all");
        }
        return v;
    }

    private static String path(String p, Path home) {
        return home == null || p.contains("://") ? p : home.resolve(p).toAbsolutePath().normalize().toString();
    }

    private static String text(String at, JsonNode v) {
        if (!v.isTextual()) {
            throw new StrataException(at + ": " + v + " is not a string");
        }
        return v.asText();
    }

    private static int integer(String at, JsonNode v) {
        if (!v.isInt()) {
            throw new StrataException(at + ": " + v + " is not an integer");
        }
        return v.intValue();
    }

    private static int positive(String at, JsonNode v) {
        int i = integer(at, v);
        if (i < 1) {
            throw new StrataException(at + ": must be >= 1, got " + i);
        }
        return i;
    }

    private static List<Integer> ints(String at, JsonNode v) {
        List<Integer> out = new ArrayList<>();
        if (v.isInt()) {
            out.add(v.intValue());
        } else if (v.isArray() && v.size() > 0) {
            for (JsonNode e : v) {
                if (!e.isInt()) {
                    throw new StrataException(at + ": " + e + " in " + v + " is not an integer");
                }
                out.add(e.intValue());
            }
        } else {
            throw new StrataException(at + ": " + v + " is not an integer or a list of integers like [1000, 300]");
        }
        return out;
    }
}
