package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.flink.rest.FlinkJobProbe;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.sampling.LeafStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures no restart can heal end the job at the first failure, with the line that says why,
 * instead of restarting it (without a bound, before) on the same missing topic or changed model.
 */
@ExtendWith(SharedKafka.class)
class UnrecoverableFailuresIT {
    @TempDir
    static Path dir;

    static JobFixture fx;
    /** Another model of the same dimension: what a model file can be overwritten with under a job. */
    static JobFixture other;

    @BeforeAll
    static void model() {
        fx = new JobFixture(dir, 400, 8, 31);
        other = new JobFixture(dir, 400, 8, 32);
    }

    /**
     * Runs the job as `strata curate` configures it, on a MiniCluster that outlives the job so its
     * REST API can say how often the job failed.
     */
    private static Failure run(CurateConfig cfg) throws Exception {
        return run(cfg, () -> {});
    }

    /** The same, with {@code beforeSubmit} run once the job graph is built (the client has read the model). */
    private static Failure run(CurateConfig cfg, Runnable beforeSubmit) throws Exception {
        Configuration conf = JobRuntime.localConfiguration(cfg.spec(), 0, null);
        conf.set(RestOptions.PORT, 0);
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(conf.get(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM))
                .build())) {
            cluster.start();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            CurationJob.build(env, cfg, fx.tree.top().clusters());
            beforeSubmit.run();
            // the client's copy of the model is still in this JVM's shared cache: the tasks must see
            // that the file changed and fail as on any other TaskManager (ModelLoader checks the file)
            JobID id = cluster.submitJob(env.getStreamGraph()).get().getJobID();
            JobResult result = cluster.requestJobResult(id).get(2, TimeUnit.MINUTES);
            Throwable error = result.getSerializedThrowable()
                    .orElseThrow(() -> new AssertionError("the job did not fail"))
                    .deserializeError(UnrecoverableFailuresIT.class.getClassLoader());
            int failures = new FlinkJobProbe(cluster.getRestAddress().get().toString()).jobFailures(id.toHexString());
            return new Failure(error, failures);
        }
    }

    private record Failure(Throwable error, int failures) {}

    private static CurateConfig config(LocalKafka kafka, String in, String tag) {
        String bs = kafka.bootstrapServers();
        String out = KafkaTestSupport.newTopic(bs, tag + "-out", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, tag + "-dlq", 1, Map.of());
        CurateConfig cfg = fx.config(bs, in, out, dlq, EmitMode.ADMISSION, LeafStrategy.RANDOM, 10, 400, false);
        return new CurateConfig(
                cfg.spec()
                        .with(Map.of(
                                "checkpointing.dir",
                                dir.resolve("cp-" + tag).toString(),
                                "checkpointing.intervalMs",
                                500)),
                cfg.modelVersion(),
                cfg.modelDim());
    }

    @Test
    void missingInputTopicFailsTheJobOnceWithItsName(LocalKafka kafka) throws Exception {
        Failure f = run(config(kafka, "no-such-input", "missing"));
        NonRecoverable cause = NonRecoverable.in(f.error());
        assertNotNull(cause, "not a non-recoverable failure: " + f.error());
        assertTrue(cause.getMessage().startsWith("input topic 'no-such-input' does not exist on "), cause.getMessage());
        assertEquals(1, f.failures(), "the job must fail once, not restart");
    }

    /** The model file is overwritten between the client reading it and the tasks loading it. */
    @Test
    void modelChangedUnderTheJobFailsItOnceWithBothVersions(LocalKafka kafka) throws Exception {
        String in = KafkaTestSupport.newTopic(kafka.bootstrapServers(), "model-in", 1, Map.of());
        Path model = dir.resolve("swapped.model");
        Files.copy(fx.modelPath, model);
        CurateConfig cfg = config(kafka, in, "model");
        CurateConfig submitted =
                new CurateConfig(cfg.spec().with(Map.of("model", model.toString())), fx.tree.version(), fx.dim);
        Failure f = run(submitted, () -> copy(other.modelPath, model));
        NonRecoverable cause = NonRecoverable.in(f.error());
        assertNotNull(cause, "not a non-recoverable failure: " + f.error());
        assertEquals(
                "model " + model + " is version " + other.tree.version() + " but the job was submitted with "
                        + fx.tree.version() + "; resubmit the job to switch models",
                cause.getMessage());
        assertEquals(1, f.failures(), "the job must fail once, not restart");
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
