package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.io.EmbeddingShards;
import dev.strata.kmeans.Checkpoints;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelPlan;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.model.BuildParams;
import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import dev.strata.model.Metric;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "bootstrap",
        mixinStandardHelpOptions = true,
        description = "Build a model: hierarchical k-means with resampling over a pool of embeddings.")
public final class BootstrapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--config",
            description =
                    "Read every setting from a job file (flink-jobs/bootstrap.yaml); other flags are then not allowed.")
    Path config;

    @Option(
            names = "--input",
            description =
                    "Embeddings: a .npy (float32/float16/float64, 2-D) or .fvecs file, a folder of "
                            + "them, or a glob of shards (img_emb_*.npy), local or on a Flink file system (s3://, hdfs://). Required.")
    String input;

    @Mixin
    TopicRangeOptions topicInput = new TopicRangeOptions();

    @Option(
            names = "--levels",
            description = "Clusters per level, leaves first, e.g. 1000,300, or 'auto' to have them "
                    + "(and the sample sizes) proposed from the pool size and printed. Required.")
    String levels;

    @Option(
            names = "--sample-sizes",
            description = "Resampling sample size per level (or one for all). "
                    + "Default: half the mean cluster size of each level, at least 2.")
    String sampleSizes;

    @Option(
            names = "--resample-steps",
            defaultValue = "10",
            description =
                    "Resampling steps per level (or one for all); 0 disables resampling. Default: ${DEFAULT-VALUE}.")
    String resampleSteps;

    @Option(
            names = "--splits",
            defaultValue = "1",
            description = "Per level (or one for all): build the level in the paper's two steps, a k-means with "
                    + "clusters/splits clusters, then each cluster split into this many by its own k-means (in parallel). "
                    + "1 = one k-means. A split level does not resample. Default: ${DEFAULT-VALUE}.")
    String splits;

    @Option(names = "--resampling", defaultValue = "closest", description = "closest (default) or random.")
    String resampling;

    @Option(
            names = "--iters",
            defaultValue = "50",
            description = "Lloyd iterations per k-means run. Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(
            names = "--tolerance",
            defaultValue = "0",
            description =
                    "Stop a k-means run early when the objective improves by less than this fraction (0 = run all --iters).")
    double tolerance;

    @Option(names = "--init", defaultValue = "kmeans++", description = "kmeans++ (default) or random.")
    String init;

    @Option(names = "--metric", defaultValue = "l2", description = "l2 (default) or cosine.")
    String metric;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Worker threads. Default: all cores.")
    Integer threads;

    @Option(names = "--out", description = "Model file to write. Required.")
    Path out;

    @Option(
            names = "--work-dir",
            description = "Checkpoint folder: the bootstrap saves its state there after every level "
                    + "and resampling step, and a run with the same arguments and input resumes from it after a crash or a kill. "
                    + "The checkpoint is deleted once the model is written. Default: none (no checkpoints).")
    Path workDir;

    @Override
    public Integer call() {
        if (config != null) {
            if (spec.commandLine().getParseResult().matchedOptions().size() > 1) {
                throw new StrataException(
                        "--config takes every setting from " + config + "; drop the other flags or the --config");
            }
            BootstrapSpec.read(config).applyTo(this);
        }
        if ((input == null) == (topicInput.topic == null) || levels == null || out == null) {
            throw new StrataException(
                    "--input (or --input-topic), --levels and --out are required, and only one of --input"
                            + " and --input-topic (or --config flink-jobs/bootstrap.yaml)");
        }
        if (input != null && topicInput.anyRange()) {
            throw new StrataException("--records, --from-offset, --until-offset, --from and --until select records of "
                    + "--input-topic; drop them or read from a topic");
        }
        boolean auto = "auto".equalsIgnoreCase(levels.trim());
        List<Integer> ks = auto ? null : Lists.ints("--levels", levels);
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) {
            throw new StrataException("--threads must be >= 1, got " + nThreads);
        }
        Progress progress = Progress.stderr();
        Pool pool = input != null ? fromShards(progress) : fromTopic(progress);
        FloatMatrix points = pool.points();
        if (auto) {
            LevelPlan plan = LevelPlan.propose(points.rows());
            ks = plan.clusters();
            spec.commandLine()
                    .getOut()
                    .printf(
                            "levels auto for %d rows: --levels %s --sample-sizes %s (%s)%n",
                            points.rows(), join(plan.clusters()), join(plan.sampleSizes()), LevelPlan.reasoning());
        }
        List<Integer> steps = Lists.perLevel("--resample-steps", resampleSteps, ks.size());
        List<Integer> samples = sampleSizes != null
                ? Lists.perLevel("--sample-sizes", sampleSizes, ks.size())
                : LevelPlan.sampleSizes(points.rows(), ks);
        List<Integer> split = Lists.perLevel("--splits", splits, ks.size());
        List<LevelSpec> specs = new ArrayList<>();
        for (int t = 0; t < ks.size(); t++) {
            specs.add(new LevelSpec(ks.get(t), samples.get(t), steps.get(t), split.get(t)));
        }
        KMeansConfig base = new KMeansConfig(1, iters, tolerance, Init.parse(init), Metric.parse(metric), seed);
        Resampling mode = Resampling.parse(resampling);
        DotKernel kernel = Kernels.fastest();
        BuildParams params = new BuildParams(
                ks,
                samples,
                steps,
                iters,
                tolerance,
                base.init().label(),
                mode.label(),
                seed,
                nThreads,
                kernel.name(),
                points.rows(),
                pool.name(),
                split.stream().allMatch(m -> m == 1) ? null : split);
        long start = System.nanoTime();
        ClusterTree tree;
        Checkpoints checkpoints = workDir == null
                ? Checkpoints.none()
                : new Checkpoints(workDir, runKey(pool.identity(), specs, base, mode, kernel));
        try (KMeans kmeans = new KMeans(kernel, nThreads, progress)) {
            tree = new HierarchicalKMeans(kmeans, progress).fit(points, specs, base, mode, params, checkpoints);
            // the work in units a reader can picture: full searches of the pool against level 1's clusters
            long computed = kmeans.distances().computed();
            progress.message(String.format(
                    Locale.ROOT,
                    "distance computations: %,d (%.1f full passes of the pool against "
                            + "level 1's %d clusters; %.0f%% of the unpruned searches)",
                    computed,
                    computed / ((double) points.rows() * specs.get(0).clusters()),
                    specs.get(0).clusters(),
                    100 * kmeans.distances().share()));
        }
        tree = ModelFile.write(tree, out);
        checkpoints.clear();
        double secs = (System.nanoTime() - start) / 1e9;
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "model %s (version %s): %d points, dim %d, %s, %d levels, built in %.1f s with %s on %d threads%n",
                out,
                tree.version(),
                points.rows(),
                points.dim(),
                tree.metric().label(),
                tree.depth(),
                secs,
                kernel.name(),
                nThreads);
        for (int t = 1; t <= tree.depth(); t++) {
            LevelStats stats = LevelStats.of(t, tree.level(t).size());
            o.println("  " + stats.describe());
            if (stats.collapsed()) {
                progress.message("warning: level " + t + " looks collapsed (" + stats.describe()
                        + "); raise --sample-sizes towards half the mean cluster size or lower --resample-steps");
            }
        }
        o.flush();
        return 0;
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * What decides the model, so a checkpoint is resumed only by the run that wrote it: the input's
     * shards and sizes, every level's settings, the k-means settings and seed, and the kernel
     * (two kernels may round a near-tie apart). Threads are left out: the result does not depend on them.
     */
    private static String runKey(
            String input, List<LevelSpec> specs, KMeansConfig base, Resampling mode, DotKernel kernel) {
        StringBuilder key = new StringBuilder(input);
        key.append(";levels=")
                .append(specs)
                .append(";iters=")
                .append(base.iterations())
                .append(";tolerance=")
                .append(base.tolerance())
                .append(";init=")
                .append(base.init().label())
                .append(";metric=")
                .append(base.metric().label())
                .append(";seed=")
                .append(base.seed())
                .append(";resampling=")
                .append(mode.label())
                .append(";kernel=")
                .append(kernel.name());
        // writeUTF takes at most 64 KB; thousands of shards are summarised by a digest
        return key.length() < 16_000 ? key.toString() : sha256(key.toString());
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The pool, the name the model records for it, and what identifies its rows for a checkpoint.
     */
    private record Pool(FloatMatrix points, String name, String identity) {}

    private Pool fromShards(Progress progress) {
        EmbeddingShards shards = EmbeddingShards.open(input);
        progress.message("input: " + shards.describe());
        StringBuilder identity = new StringBuilder("dim=").append(shards.dim());
        shards.shards()
                .forEach(s ->
                        identity.append(";").append(s.location()).append(':').append(s.rows()));
        // the model records the file's name for one shard (as before shards), else what --input said
        String name = shards.input();
        if (shards.shards().size() == 1) {
            String location = shards.shards().get(0).location();
            name = location.substring(location.lastIndexOf('/') + 1);
        }
        return new Pool(shards.readAll(), name, identity.toString());
    }

    private Pool fromTopic(Progress progress) {
        TopicPool.Pool read = TopicPool.read(
                topicInput.kafkaConfig.connection(topicInput.bootstrapServers),
                topicInput.topic,
                topicInput.range(),
                progress);
        FloatMatrix points = read.rows();
        progress.message("input: topic '" + topicInput.topic + "', " + points.rows() + " of " + read.recordsRead()
                + " records read, dim " + points.dim()
                + (read.skipped().isEmpty()
                        ? ""
                        : "; skipped as the job would dead-letter them: " + read.describeSkipped()));
        // a topic's range can hold other records on another day: the rows themselves identify the pool
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        java.nio.ByteBuffer row = java.nio.ByteBuffer.allocate(points.dim() * Float.BYTES);
        for (int r = 0; r < points.rows(); r++) {
            row.clear();
            row.asFloatBuffer().put(points.array(r), points.offset(r), points.dim());
            crc.update(row.array());
        }
        return new Pool(
                points,
                "kafka:" + topicInput.topic,
                "topic=" + topicInput.topic + ";rows=" + points.rows() + ";dim=" + points.dim() + ";crc="
                        + Long.toHexString(crc.getValue()));
    }
}
