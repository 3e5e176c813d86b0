package dev.strata.bootstrap.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.StrataException;
import dev.strata.bootstrap.BootstrapYaml;
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

/**
 * flink-jobs/bootstrap.yaml as the cluster bootstrap reads it: the keys of `strata bootstrap
 * --config` (same meaning, same defaults), plus two that only a cluster run has: {@code
 * parallelism} (tasks that scan the pool; Flink's parallelism.default otherwise) and {@code
 * sampleRows} (rows of the uniform sample the first k-means of level 1 runs on). Read strictly
 * by the reader `strata bootstrap` shares ({@link BootstrapYaml}).
 */
public final class ClusterBootstrapSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Writes the spec back for the cluster ({@link #toYaml}); reading is {@link BootstrapYaml}'s. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The keys both runs take, and the cluster run's own: parallelism and sampleRows. */
    private static final Map<String, BootstrapYaml.Kind> KEYS = keys();
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

    private static Map<String, BootstrapYaml.Kind> keys() {
        Map<String, BootstrapYaml.Kind> k = BootstrapYaml.commonKeys();
        k.put("parallelism", BootstrapYaml.Kind.POSITIVE);
        k.put("sampleRows", BootstrapYaml.Kind.POSITIVE);
        return k;
    }

    /** Parses the YAML; relative paths resolve against {@code home} (null: as written). */
    public static ClusterBootstrapSpec parse(String yaml, String source, Path home) {
        JsonNode root = BootstrapYaml.read(yaml, source, KEYS);
        ClusterBootstrapSpec s = new ClusterBootstrapSpec();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "job" -> {}
                case "input" -> s.input = path(v.asText(), home);
                case "out" -> s.out = path(v.asText(), home);
                case "levels" -> s.levels = v.isTextual() ? null : ints(v);
                case "sampleSizes" -> s.sampleSizes = ints(v);
                case "resampleSteps" -> s.resampleSteps = ints(v);
                case "splits" -> s.splits = ints(v);
                case "resampling" -> s.resampling = v.asText();
                case "iters" -> s.iters = v.intValue();
                case "tolerance" -> s.tolerance = v.doubleValue();
                case "init" -> s.init = v.asText();
                case "metric" -> s.metric = v.asText();
                case "seed" -> s.seed = v.longValue();
                case "threads" -> s.threads = v.intValue();
                case "parallelism" -> s.parallelism = v.intValue();
                case "sampleRows" -> s.sampleRows = v.intValue();
                default -> throw new IllegalStateException(e.getKey());
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
        List<Integer> samples =
                sampleSizes != null ? perLevel("sampleSizes", sampleSizes, ks.size()) : LevelPlan.sampleSizes(rows, ks);
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
            throw new StrataException(
                    key + ": " + v.size() + " values for " + levels + " levels; give one per level or one for all");
        }
        return v;
    }

    private static String path(String p, Path home) {
        return home == null || p.contains("://")
                ? p
                : home.resolve(p).toAbsolutePath().normalize().toString();
    }

    /** An integer or a list of them (already checked by {@link BootstrapYaml}). */
    private static List<Integer> ints(JsonNode v) {
        List<Integer> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(e -> out.add(e.intValue()));
        } else {
            out.add(v.intValue());
        }
        return out;
    }
}
