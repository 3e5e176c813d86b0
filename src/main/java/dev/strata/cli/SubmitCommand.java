package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.bootstrap.flink.BootstrapJob;
import dev.strata.bootstrap.flink.ClusterBootstrapClient;
import dev.strata.bootstrap.flink.ClusterBootstrapSpec;
import dev.strata.flink.rest.FlinkRest;
import dev.strata.job.CurateSpec;
import dev.strata.kafka.GroupProgress;
import dev.strata.local.ProjectHome;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description =
                "Upload the job jar to a Flink cluster and start the job of a flink-jobs/*.yaml over the REST API "
                        + "(curate.yaml: the streaming job; bootstrap.yaml: the bootstrap as a BATCH job, followed to its end).")
public final class SubmitCommand implements Callable<Integer> {
    static final String ENTRY_CLASS = "dev.strata.job.CurationMain";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Job configuration, e.g. flink-jobs/curate.yaml.")
    Path configFile;

    @Option(
            names = "--jobmanager",
            defaultValue = "http://localhost:8081",
            description = "JobManager REST URL. Default: ${DEFAULT-VALUE}.")
    String jobManager;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "Start from this savepoint (upgrades, rescaling).")
    String savepoint;

    @Option(names = "--parallelism", description = "Override the file's parallelism (rescaling from a savepoint).")
    Integer parallelism;

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Option(
            names = "--create-topics",
            description = "Create the job's missing topics first: input, output (compacted "
                    + "in exact mode) and dead letters, with the brokers' default partitions and replication.")
    boolean createTopics;

    @Option(names = "--jar", description = "Job jar. Default: target/strata-job.jar.")
    Path jar;

    @Override
    public Integer call() {
        Path home = ProjectHome.find();
        String yaml;
        try {
            yaml = Files.readString(configFile);
        } catch (IOException e) {
            throw new StrataException(configFile + ": cannot read the job configuration (" + e.getMessage() + ")");
        }
        if (BootstrapJobFile.is(yaml)) {
            return submitBootstrap(home, yaml);
        }
        CurateSpec parsed = CurateSpec.parse(yaml, configFile.toString(), home);
        CurateSpec job = kafkaConfig.applyTo(
                parallelism == null
                        ? parsed
                        : CurateFlags.inFlags(() -> parsed.with(java.util.Map.of("parallelism", parallelism))));
        // refuse here, with one line, what the cluster would refuse later with a stack trace
        ClusterTree tree = null;
        if (!job.model().contains("://")) {
            tree = ModelFile.read(Path.of(job.model()));
            spec.commandLine()
                    .getOut()
                    .printf(
                            "model %s: version %s, %d leaves, %d top clusters%n",
                            job.model(),
                            tree.version(),
                            tree.leaves().clusters(),
                            tree.top().clusters());
        }
        if (createTopics) {
            CurateCommand.createTopics(job, spec.commandLine().getOut());
        }
        CurateCommand.checkKafka(job, configFile.toString());
        if (savepoint == null && job.quota().carryOver() != null) {
            if (tree != null) {
                CarryOverStart.check(job, tree);
            }
        } else if (savepoint == null) {
            GroupProgress.refuseResumedGroup(
                    job.kafka().connection(),
                    job.kafka().groupId(),
                    job.kafka().inputTopic(),
                    job.kafka().transactionalIdPrefix());
        }
        Path jobJar = jar != null ? jar : home.resolve("target/strata-job.jar");
        if (!Files.isRegularFile(jobJar)) {
            throw new StrataException(jobJar + " is missing; build it with `mvn -DskipTests package`");
        }
        FlinkRest rest = new FlinkRest(jobManager);
        rest.overview();
        String jarId = rest.uploadJar(jobJar);
        List<String> args = new ArrayList<>(List.of(
                "--config-base64",
                // resolved against the project folder: the JobManager runs main() in a folder of its own
                Base64.getEncoder().encodeToString(job.toYaml().getBytes(StandardCharsets.UTF_8))));
        // neither flag nor file sets it: the cluster's parallelism.default, as `flink run` would use
        Integer clusterParallelism = job.parallelism() == null ? rest.defaultParallelism() : null;
        String jobId = rest.run(jarId, ENTRY_CLASS, args, clusterParallelism, savepoint);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                "submitted %s as job %s%s; dashboard %s/#/job/running/%s/overview%n",
                job.name(), jobId, savepoint != null ? " from savepoint " + savepoint : "", rest.url(), jobId);
        o.flush();
        return 0;
    }

    /**
     * flink-jobs/bootstrap.yaml: the bootstrap as a BATCH job on the cluster, followed to its end
     * (it is the model file that matters, not a running job); progress on stderr.
     */
    private int submitBootstrap(Path home, String yaml) {
        if (savepoint != null || createTopics) {
            throw new StrataException(
                    "--from-savepoint and --create-topics are for the curation job; a bootstrap has neither");
        }
        if (parallelism != null && parallelism < 1) {
            throw new StrataException("--parallelism: must be >= 1, got " + parallelism);
        }
        ClusterBootstrapSpec job = ClusterBootstrapSpec.parse(yaml, configFile.toString(), home);
        long[] shape = ClusterBootstrapClient.poolShape(job.input);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                "pool %s: %d rows, dim %d; level 1 reads it %d time(s)%n",
                job.input,
                shape[0],
                shape[1],
                BootstrapJob.passes(job.levelSpecs(shape[0]).get(0)));
        o.flush();
        Path jobJar = jar != null ? jar : home.resolve("target/strata-job.jar");
        if (!Files.isRegularFile(jobJar)) {
            throw new StrataException(jobJar + " is missing; build it with `mvn -DskipTests package`");
        }
        FlinkRest rest = new FlinkRest(jobManager);
        rest.overview();
        ClusterBootstrapClient client =
                new ClusterBootstrapClient(rest, spec.commandLine().getErr());
        String jobId = client.submit(rest.uploadJar(jobJar), job, parallelism);
        o.printf(
                "submitted the bootstrap as job %s; dashboard %s/#/job/running/%s/overview%n",
                jobId, rest.url(), jobId);
        o.flush();
        ClusterBootstrapClient.Outcome done = client.await(jobId);
        o.printf(
                java.util.Locale.ROOT,
                "passes over the pool: %d (%d rows read by the passes, %d rows of %d each), "
                        + "first k-means on %d sampled rows; %.1f s%n",
                done.passes(),
                done.rowsScanned(),
                shape[0] == 0 ? 0 : done.rowsScanned() / shape[0],
                shape[0],
                done.rowsSampled(),
                done.seconds());
        if (!job.out.contains("://")) {
            ClusterTree tree = ModelFile.read(Path.of(job.out));
            o.printf(
                    "model %s (version %s): %d points, dim %d, %s, %d levels%n",
                    job.out,
                    tree.version(),
                    tree.leaves().totalSize(),
                    tree.dim(),
                    tree.metric().label(),
                    tree.depth());
            for (int t = 1; t <= tree.depth(); t++) {
                o.println("  "
                        + dev.strata.model.LevelStats.of(t, tree.level(t).size())
                                .describe());
            }
        }
        o.flush();
        return 0;
    }
}
