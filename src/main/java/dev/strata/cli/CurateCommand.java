package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.job.CurateConfig;
import dev.strata.job.CurateSpec;
import dev.strata.job.EmitMode;
import dev.strata.job.JobRuntime;
import dev.strata.local.ProjectHome;
import dev.strata.model.ClusterTree;
import dev.strata.records.GroupProgress;
import dev.strata.records.KafkaTopics;
import dev.strata.sampling.LeafStrategy;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "curate", mixinStandardHelpOptions = true,
        description = "Run the curation job on a local Flink with its dashboard: Kafka in, balanced sample out, exactly once.")
public final class CurateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", description = "Kafka. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--config", description = "Take the job from a flink-jobs/curate.yaml; only --from-savepoint and "
            + "--web-ui-port may be added.")
    java.nio.file.Path config;

    @Option(names = "--from-savepoint", paramLabel = "PATH",
            description = "Resume from a savepoint or a retained checkpoint (<checkpoint dir>/<job id>/chk-N).")
    String fromSavepoint;

    @Option(names = "--input-topic", description = "Topic the crawlers write embeddings to. Required.")
    String inputTopic;

    @Option(names = "--output-topic", description = "Topic for curated records. Required.")
    String outputTopic;

    @Option(names = "--model", description = "Model file from 'strata bootstrap' (readable by every task). Required.")
    String model;

    @Option(names = "--target", description = "T: items to keep over the expected volume.")
    Long target;

    @Option(names = "--expected-volume", description = "V: items expected over the horizon.")
    Long expectedVolume;

    @Option(names = "--keep-fraction", description = "f = T/V, with V = the model's pool size.")
    Double keepFraction;

    @Option(names = "--mode", defaultValue = "admission", description = "admission (append-only, default) or exact (upsert changelog).")
    String mode;

    @Option(names = "--strategy", defaultValue = "random", description = "random (default) or closest (exact mode only).")
    String strategy;

    @Option(names = "--dead-letter-topic", description = "Where invalid records go. Default: <input-topic>.dlq.")
    String deadLetterTopic;

    @Option(names = "--bounded", description = "Stop at the end offsets present at start (replays, backfills, tests).")
    boolean bounded;

    @Option(names = "--parallelism", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = "--beam", defaultValue = "0", description = "0 = exact leaf assignment; B > 0 = beam descent of width B.")
    int beam;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of quotas and sampling (same as 'select'). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--group-id", description = "Consumer group. Default: strata-<output-topic>.")
    String groupId;

    @Option(names = "--checkpoint-dir", defaultValue = ".strata/checkpoints", description = "Default: ${DEFAULT-VALUE}.")
    String checkpointDir;

    @Option(names = "--checkpoint-interval-ms", defaultValue = "5000", description = "Default: ${DEFAULT-VALUE}.")
    long checkpointMillis;

    @Option(names = "--web-ui-port", defaultValue = "8081", description = "Flink dashboard port (0 = no dashboard). Default: ${DEFAULT-VALUE}.")
    int webUiPort;

    @Override
    public Integer call() throws Exception {
        CurateSpec job = config != null ? fromFile() : new CurateSpec("strata-curate", config(), parallelism,
                checkpointMillis, checkpointDir);
        ClusterTree tree = JobRuntime.clientModel(job.config().modelPath());
        CurateConfig cfg = job.config().withModel(tree.version(), tree.dim());
        checkTopics(cfg);
        if (fromSavepoint == null) {
            GroupProgress.refuseResumedGroup(cfg.bootstrapServers(), cfg.groupId(), cfg.inputTopic());
        }
        PrintWriter o = spec.commandLine().getOut();
        JobClient running = JobRuntime.startLocal(cfg, tree.top().clusters(), job.parallelism(), job.checkpointDir(),
                job.checkpointIntervalMs(), webUiPort, fromSavepoint);
        o.printf("job %s started: %s -> %s (%s, model %s)%s%n", running.getJobID(), cfg.inputTopic(), cfg.outputTopic(),
                cfg.mode().label(), tree.version(), fromSavepoint != null ? " from " + fromSavepoint : "");
        if (webUiPort > 0) {
            o.printf("dashboard: http://localhost:%d/#/job/running/%s/overview%n", webUiPort, running.getJobID());
        }
        o.printf("checkpoints (kept on cancel, to resume with --from-savepoint): %s%n", job.checkpointDir());
        o.flush();
        // Ctrl-C cancels the job and waits for it, so no transaction is left open; the hook goes
        // once the job has ended on its own
        Thread cancel = new Thread(() -> {
            try {
                running.cancel().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // the JVM is exiting: nothing more can be done
            }
        });
        Runtime.getRuntime().addShutdownHook(cancel);
        running.getJobExecutionResult().get();
        Runtime.getRuntime().removeShutdownHook(cancel);
        o.println("job finished");
        o.flush();
        return 0;
    }

    private CurateSpec fromFile() {
        for (var opt : spec.commandLine().getParseResult().matchedOptions()) {
            String n = opt.longestName();
            if (!n.equals("--config") && !n.equals("--from-savepoint") && !n.equals("--web-ui-port")) {
                throw new StrataException("--config takes the job from " + config + "; drop " + n + " or the --config");
            }
        }
        return CurateSpec.read(config, ProjectHome.find());
    }

    CurateConfig config() {
        if (inputTopic == null || outputTopic == null || model == null) {
            throw new StrataException("--input-topic, --output-topic and --model are required (or --config flink-jobs/curate.yaml)");
        }
        boolean byFraction = keepFraction != null;
        if (byFraction == (target != null || expectedVolume != null)) {
            throw new StrataException("give either --target N with --expected-volume V, or --keep-fraction F");
        }
        if (!byFraction && (target == null || expectedVolume == null)) {
            throw new StrataException("--target and --expected-volume go together");
        }
        if (parallelism < 1) {
            throw new StrataException("--parallelism must be >= 1");
        }
        String dlq = deadLetterTopic != null ? deadLetterTopic : CurateSpec.defaultDeadLetterTopic(inputTopic);
        String group = groupId != null ? groupId : CurateSpec.defaultGroupId(outputTopic);
        return new CurateConfig(bootstrapServers, inputTopic, outputTopic, dlq, model, "", 0,
                byFraction ? 0 : target, byFraction ? 0 : expectedVolume, byFraction ? keepFraction : 0,
                EmitMode.parse(mode), LeafStrategy.parse(strategy), seed, beam, bounded, group,
                CurateSpec.defaultTransactionalIdPrefix(group, outputTopic), 64, 20);
    }

    static void checkTopics(CurateConfig cfg) {
        Admin admin = KafkaTopics.admin(cfg.bootstrapServers());
        try {
            for (String t : new String[] {cfg.inputTopic(), cfg.outputTopic(), cfg.deadLetterTopic()}) {
                KafkaTopics.describe(admin, cfg.bootstrapServers(), t);
            }
        } finally {
            KafkaTopics.close(admin);
        }
    }
}
