package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.io.EmbeddingFiles;
import dev.strata.io.NpyReader;
import dev.strata.job.ConfigProblem;
import dev.strata.job.CurateConfig;
import dev.strata.job.CurateSpec;
import dev.strata.job.JobRuntime;
import dev.strata.kafka.EmbeddingPublisher;
import dev.strata.kafka.GroupProgress;
import dev.strata.kafka.KafkaTopics;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.local.LocalKafka;
import dev.strata.model.BuildParams;
import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import dev.strata.model.Metric;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.records.CuratedRecord;
import dev.strata.records.WireFormat;
import dev.strata.synth.Generators;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Zero to a curated stream in one command: a local broker, a long-tailed synthetic pool, a
 * bootstrapped model, the curation job with its dashboard, the pool streamed through it, and the
 * balance before and after.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run Strata end to end on synthetic data: broker, model, streaming job with dashboard, balance report.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--n", defaultValue = "50000", description = "Pool size. Default: ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--dim", defaultValue = "64", description = "Embedding dimension. Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(
            names = "--concepts",
            defaultValue = "200",
            description = "Concepts in the pool. Default: ${DEFAULT-VALUE}.")
    int concepts;

    @Option(
            names = "--zipf",
            defaultValue = "1.2",
            description = "Zipf exponent of concept sizes. Default: ${DEFAULT-VALUE}.")
    double zipf;

    @Option(names = "--target", defaultValue = "5000", description = "Items to keep. Default: ${DEFAULT-VALUE}.")
    long target;

    @Option(
            names = "--rate",
            defaultValue = "2500",
            description = "Records/s the crawler stand-in sends. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--web-ui-port",
            defaultValue = "8081",
            description = "Flink dashboard port. Default: ${DEFAULT-VALUE}.")
    int webUiPort;

    @Option(
            names = "--keep-running",
            description = "Keep the job and its dashboard up after the report (Ctrl-C to stop).")
    boolean keepRunning;

    @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Progress progress = Progress.stderr();
        WebUiPort.require(webUiPort); // fail before minutes of work, not after
        LocalKafka kafka = LocalKafka.defaults();
        step(o, "1/6 Kafka broker");
        o.println(
                kafka.start()
                        ? "  started on " + kafka.bootstrapServers()
                        : "  already running on " + kafka.bootstrapServers());
        String run = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String in = "demo-" + run + ".embeddings";
        String out = "demo-" + run + ".curated";
        Path work = kafka.home().resolve(".strata").resolve("demo");
        Path modelPath = work.resolve("model.strata");
        CurateSpec job = demoJob(kafka.bootstrapServers(), in, out, modelPath, work.resolve("checkpoints"));
        String dlq = job.kafka().deadLetterTopic();
        KafkaTopics.createTopics(
                kafka.bootstrapServers(),
                List.of(new NewTopic(in, 4, (short) 1), new NewTopic(out, 4, (short) 1), new NewTopic(dlq, 1, (short)
                        1)));
        o.printf("  topics %s, %s, %s%n", in, out, dlq);

        Files.createDirectories(work);
        Path pool = work.resolve("pool.npy");
        step(o, "2/6 synthetic long-tailed pool");
        Path labelsPath = Generators.write("gmm", n, dim, concepts, zipf, seed, pool, progress);
        FloatMatrix points = EmbeddingFiles.read(pool);
        int[] labels = NpyReader.readLabels(labelsPath);
        o.printf("  %d embeddings of dim %d over %d concepts (Zipf %.1f) in %s%n", n, dim, concepts, zipf, pool);

        step(o, "3/6 bootstrap: hierarchical k-means with resampling");
        int leaves = Math.max(10, n / 100);
        int tops = Math.max(2, leaves / 10);
        List<LevelSpec> levels = List.of(new LevelSpec(leaves, 50, 3), new LevelSpec(tops, 5, 3));
        KMeansConfig base = new KMeansConfig(1, 15, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, seed);
        BuildParams params = new BuildParams(
                List.of(leaves, tops),
                List.of(50, 5),
                List.of(3, 3),
                15,
                0,
                "kmeans++",
                "closest",
                seed,
                Runtime.getRuntime().availableProcessors(),
                Kernels.fastest().name(),
                n,
                pool.toString());
        ClusterTree tree;
        try (KMeans km = new KMeans(Kernels.fastest(), Runtime.getRuntime().availableProcessors(), progress)) {
            tree = new HierarchicalKMeans(km, progress).fit(points, levels, base, Resampling.CLOSEST, params);
        }
        tree = ModelFile.write(tree, modelPath);
        o.printf("  model %s: %d leaves under %d top clusters (version %s)%n", modelPath, leaves, tops, tree.version());

        step(o, "4/6 curation job (admission mode, exactly once, RocksDB state)");
        String group = job.kafka().groupId();
        CurateConfig cfg = CurateConfig.of(job).withModel(tree.version(), dim);
        JobClient running = JobRuntime.startLocal(cfg, tops, webUiPort, null);
        Thread cancel = new Thread(() -> {
            try {
                running.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the JVM is exiting: nothing more can be done
            }
        });
        Runtime.getRuntime().addShutdownHook(cancel);
        o.printf("  dashboard: http://localhost:%d/#/job/running/%s/overview%n", webUiPort, running.getJobID());
        o.flush();

        step(o, "5/6 stream the pool into Kafka at " + (long) rate + " records/s");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(EmbeddingPublisher.producerConfig(kafka.bootstrapServers()))) {
            new EmbeddingPublisher(producer, in, WireFormat.JSON, rate, progress).publish(points, labels);
        }
        GroupProgress.awaitCaughtUp(kafka.bootstrapServers(), group, in, Duration.ofMinutes(10), progress);
        List<CuratedRecord> curated = DemoReport.readCurated(kafka.bootstrapServers(), out);

        step(o, "6/6 balance before and after");
        DemoReport report = new DemoReport(tree, labels, concepts);
        report.print(o, curated);
        o.println("  the same as a page: "
                + report.writePage(curated, work.resolve("report.html")).toUri());
        if (keepRunning) {
            o.println("the job keeps running; dashboard at http://localhost:" + webUiPort + " (Ctrl-C to stop)");
            o.flush();
            running.getJobExecutionResult().get();
        } else {
            running.cancel().get();
            Runtime.getRuntime().removeShutdownHook(cancel);
            o.println("done. Rerun with --keep-running to explore the dashboard afterwards; the broker keeps running "
                    + "(strata kafka stop).");
        }
        o.flush();
        return 0;
    }

    /** The demo's job: admission mode over the whole pool, checkpoints every 2 s so results show quickly. */
    private CurateSpec demoJob(String bootstrap, String in, String out, Path model, Path checkpoints) {
        try {
            return CurateSpec.of(Map.of(
                    "kafka.bootstrapServers",
                    bootstrap,
                    "kafka.inputTopic",
                    in,
                    "kafka.outputTopic",
                    out,
                    "model",
                    model.toString(),
                    "quota.target",
                    target,
                    "quota.expectedVolume",
                    (long) n,
                    "checkpointing.dir",
                    checkpoints.toString(),
                    "checkpointing.intervalMs",
                    2000L));
        } catch (ConfigProblem p) {
            // only two of the job's settings come from the demo's flags
            throw new StrataException(p.render(k -> Map.of("quota.target", "--target", "quota.expectedVolume", "--n")
                    .getOrDefault(k, k)));
        }
    }

    private static void step(PrintWriter o, String title) {
        o.println("== " + title);
        o.flush();
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static double entropy(long[] counts) {
        return LevelStats.normalizedEntropy(counts);
    }
}
