package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.job.CurateSpec;
import dev.strata.local.FlinkRest;
import dev.strata.local.ProjectHome;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.records.GroupProgress;
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

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Upload the job jar to a Flink cluster and start the job of a flink-jobs/*.yaml over the REST API.")
public final class SubmitCommand implements Callable<Integer> {
    static final String ENTRY_CLASS = "dev.strata.job.CurationMain";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Job configuration, e.g. flink-jobs/curate.yaml.")
    Path configFile;

    @Option(names = "--jobmanager", defaultValue = "http://localhost:8081", description = "JobManager REST URL. Default: ${DEFAULT-VALUE}.")
    String jobManager;

    @Option(names = "--from-savepoint", paramLabel = "PATH", description = "Start from this savepoint (upgrades, rescaling).")
    String savepoint;

    @Option(names = "--parallelism", description = "Override the file's parallelism (rescaling from a savepoint).")
    Integer parallelism;

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Option(names = "--create-topics", description = "Create the job's missing topics first: input, output (compacted "
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
        CurateSpec parsed = CurateSpec.parse(yaml, configFile.toString(), home);
        CurateSpec job = kafkaConfig.applyTo(parallelism == null ? parsed
                : CurateFlags.inFlags(() -> parsed.with(java.util.Map.of("parallelism", parallelism))));
        // refuse here, with one line, what the cluster would refuse later with a stack trace
        if (!job.model().contains("://")) {
            ClusterTree tree = ModelFile.read(Path.of(job.model()));
            spec.commandLine().getOut().printf("model %s: version %s, %d leaves, %d top clusters%n",
                    job.model(), tree.version(), tree.leaves().clusters(), tree.top().clusters());
        }
        if (createTopics) {
            CurateCommand.createTopics(job, spec.commandLine().getOut());
        }
        CurateCommand.checkKafka(job, configFile.toString());
        if (savepoint == null) {
            GroupProgress.refuseResumedGroup(job.kafka().connection(), job.kafka().groupId(), job.kafka().inputTopic());
        }
        Path jobJar = jar != null ? jar : home.resolve("target/strata-job.jar");
        if (!Files.isRegularFile(jobJar)) {
            throw new StrataException(jobJar + " is missing; build it with `mvn -DskipTests package`");
        }
        FlinkRest rest = new FlinkRest(jobManager);
        rest.overview();
        String jarId = rest.uploadJar(jobJar);
        List<String> args = new ArrayList<>(List.of("--config-base64",
                // resolved against the project folder: the JobManager runs main() in a folder of its own
                Base64.getEncoder().encodeToString(job.toYaml().getBytes(StandardCharsets.UTF_8))));
        // neither flag nor file sets it: the cluster's parallelism.default, as `flink run` would use
        Integer clusterParallelism = job.parallelism() == null ? rest.defaultParallelism() : null;
        String jobId = rest.run(jarId, ENTRY_CLASS, args, clusterParallelism, savepoint);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("submitted %s as job %s%s; dashboard %s/#/job/running/%s/overview%n", job.name(), jobId,
                savepoint != null ? " from savepoint " + savepoint : "", rest.url(), jobId);
        o.flush();
        return 0;
    }
}
