package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.job.ConfigProblem;
import dev.strata.job.CurateConfig;
import dev.strata.job.CurateSpec;
import dev.strata.job.JobRuntime;
import dev.strata.job.TransactionTimeouts;
import dev.strata.kafka.GroupProgress;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.KafkaTopics;
import dev.strata.local.ProjectHome;
import dev.strata.model.ClusterTree;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The job's flags carry no defaults of their own: an unset flag takes the job file's default (CurateSpec). */
@Command(
        name = "curate",
        mixinStandardHelpOptions = true,
        defaultValueProvider = CurateDefaults.class,
        description =
                "Run the curation job on a local Flink with its dashboard: Kafka in, balanced sample out, exactly once.")
public final class CurateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", description = "Kafka. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(
            names = "--config",
            description = "Take the job from a flink-jobs/curate.yaml; only --from-savepoint and "
                    + "--web-ui-port may be added.")
    Path config;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
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

    @Option(
            names = "--mode",
            description = "admission (append-only) or exact (upsert changelog). Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(
            names = "--quota-plan",
            description = "adaptive (budgets follow the arrivals; admission's default) or fixed "
                    + "(planned once from the model's pool; exact mode's only plan).")
    String quotaPlan;

    @Option(
            names = "--carry-over",
            paramLabel = "FILE",
            description = "Continue a run under a new model: the file `strata carry-over` wrote "
                    + "(keep the old run's --group-id).")
    String carryOver;

    @Option(
            names = "--window",
            description = "Budgets per window: --target items for every window of this length (30m, 6h, 1d); "
                    + "--expected-volume is then per window and may be left out (estimated from the arrival rate).")
    String window;

    @Option(
            names = "--window-time",
            description =
                    "event (the Kafka record timestamp; the default) or processing (the wall clock at assignment).")
    String windowTime;

    @Option(
            names = "--allowed-lateness",
            description = "Event time: how far out of order timestamps may come before an item is late (default 1m).")
    String allowedLateness;

    @Option(names = "--strategy", description = "random or closest (exact mode only). Default: ${DEFAULT-VALUE}.")
    String strategy;

    @Option(names = "--dead-letter-topic", description = "Where invalid records go. Default: <input-topic>.dlq.")
    String deadLetterTopic;

    @Option(names = "--bounded", description = "Stop at the end offsets present at start (replays, backfills, tests).")
    boolean bounded;

    @Option(names = "--parallelism", description = "Default: ${DEFAULT-VALUE}.")
    Integer parallelism;

    @Option(
            names = "--beam",
            description = "0 = exact leaf assignment; B > 0 = beam descent of width B. Default: ${DEFAULT-VALUE}.")
    Integer beam;

    @Option(
            names = "--beam-slack",
            description = "With --beam: below the top, drop beam clusters more than (1 + S) times the nearest's "
                    + "squared distance (e.g. 0.05 with --beam 3: the recall of beam 3 at about the cost of beam 2 "
                    + "on the benchmark's model, docs/benchmarks.md). Default: 0 (the whole beam).")
    Double beamSlack;

    @Option(
            names = "--seed",
            description = "Seed of quotas and sampling (same as 'select'). Default: ${DEFAULT-VALUE}.")
    Long seed;

    @Option(names = "--group-id", description = "Consumer group. Default: strata-<output-topic>.")
    String groupId;

    @Option(names = "--checkpoint-dir", description = "Default: ${DEFAULT-VALUE}.")
    String checkpointDir;

    @Option(names = "--checkpoint-interval-ms", description = "Default: ${DEFAULT-VALUE}.")
    Long checkpointMillis;

    @Option(
            names = "--checkpoint-timeout-ms",
            description = "A checkpoint still running after this fails. "
                    + "Twice this, and a pause, must stay below --transaction-timeout-ms. Default: ${DEFAULT-VALUE}.")
    Long checkpointTimeoutMillis;

    @Option(
            names = "--transaction-timeout-ms",
            description = "transaction.timeout.ms of the exactly-once sinks; at most "
                    + "the brokers' transaction.max.timeout.ms. Default: ${DEFAULT-VALUE}.")
    Long transactionTimeoutMillis;

    @Option(
            names = "--max-record-bytes",
            description = "The largest record the job reads or writes (key, value, headers); "
                    + "larger ones become OVERSIZED dead letters, cut to fit. At most the topics' max.message.bytes. "
                    + "Default: the Kafka producer's max.request.size default (1 MiB).")
    Integer maxRecordBytes;

    @Mixin
    KafkaConfigOption kafkaConfig;

    @Option(
            names = "--create-topics",
            description = "Create the job's missing topics first: input, output (compacted "
                    + "in exact mode) and dead letters, with the brokers' default partitions and replication.")
    boolean createTopics;

    @Option(
            names = "--web-ui-port",
            defaultValue = "8081",
            description = "Flink dashboard port (0 = no dashboard). Default: ${DEFAULT-VALUE}.")
    int webUiPort;

    @Override
    public Integer call() throws Exception {
        CurateSpec job = kafkaConfig.applyTo(
                config != null
                        ? fromFile()
                        : CurateFlags.spec(spec.commandLine().getParseResult()));
        String source = config != null ? config.toString() : null;
        inTermsOf(source, () -> JobRuntime.checkLocal(job));
        ClusterTree tree = JobRuntime.clientModel(job.model());
        CurateConfig cfg = CurateConfig.of(job).withModel(tree.version(), tree.dim());
        if (createTopics) {
            createTopics(job, spec.commandLine().getOut());
        }
        checkKafka(job, source);
        if (fromSavepoint == null && job.quota().carryOver() != null) {
            CarryOverStart.check(job, tree);
        } else if (fromSavepoint == null) {
            GroupProgress.refuseResumedGroup(cfg.kafka(), cfg.groupId(), cfg.inputTopic(), cfg.transactionalIdPrefix());
        }
        PrintWriter o = spec.commandLine().getOut();
        WebUiPort.require(webUiPort);
        JobClient running = JobRuntime.startLocal(cfg, tree.top().clusters(), webUiPort, fromSavepoint);
        o.printf(
                "job %s started: %s -> %s (%s, model %s)%s%n",
                running.getJobID(),
                cfg.inputTopic(),
                cfg.outputTopic(),
                cfg.mode().label(),
                tree.version(),
                fromSavepoint != null ? " from " + fromSavepoint : "");
        if (webUiPort > 0) {
            o.printf("dashboard: http://localhost:%d/#/job/running/%s/overview%n", webUiPort, running.getJobID());
        }
        o.printf(
                "checkpoints (kept on cancel, to resume with --from-savepoint): %s%n",
                JobRuntime.localCheckpointDir(job));
        o.flush();
        // Ctrl-C cancels the job and waits for it, so no transaction is left open; the hook goes
        // once the job has ended on its own
        Thread cancel = new Thread(() -> {
            try {
                running.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the JVM is exiting: nothing more can be done
            }
        });
        Runtime.getRuntime().addShutdownHook(cancel);
        try {
            running.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            throw JobFailure.of(e);
        } finally {
            Runtime.getRuntime().removeShutdownHook(cancel);
        }
        o.println("job finished");
        o.flush();
        return 0;
    }

    private CurateSpec fromFile() {
        for (var opt : spec.commandLine().getParseResult().matchedOptions()) {
            String n = opt.longestName();
            if (!List.of("--config", "--from-savepoint", "--web-ui-port", "--kafka-config", "--create-topics")
                    .contains(n)) {
                throw new StrataException("--config takes the job from " + config + "; drop " + n + " or the --config");
            }
        }
        return CurateSpec.read(config, ProjectHome.find());
    }

    /**
     * The three topics exist and the brokers accept the sinks' transaction timeout; a problem
     * with a setting is said in the terms it was given in (the job file's keys, or flags).
     *
     * @param source the job file, or null when the job came from flags
     */
    static void checkKafka(CurateSpec job, String source) {
        KafkaConnection kafka = job.kafka().connection();
        Admin admin = KafkaTopics.admin(kafka);
        try {
            for (String t : new String[] {
                job.kafka().inputTopic(), job.kafka().outputTopic(), job.kafka().deadLetterTopic()
            }) {
                KafkaTopics.describe(admin, kafka.toString(), t);
            }
            inTermsOf(source, () -> TransactionTimeouts.checkBroker(admin, job, Duration.ofSeconds(15)));
        } finally {
            KafkaTopics.close(admin);
        }
    }

    /** Creates the job's three topics where they are missing (TopicCreation.forJob). */
    static void createTopics(CurateSpec job, PrintWriter out) {
        KafkaConnection kafka = job.kafka().connection();
        Admin admin = KafkaTopics.admin(kafka);
        try {
            TopicCreation.create(admin, kafka, TopicCreation.forJob(job), out);
        } finally {
            KafkaTopics.close(admin);
        }
    }

    /** Runs a check, saying a problem with a setting in the job file's keys, or in flags when there is no file. */
    static void inTermsOf(String source, Runnable check) {
        try {
            check.run();
        } catch (ConfigProblem p) {
            throw source != null ? p.from(source) : new StrataException(p.render(CurateFlags::flag));
        }
    }
}
