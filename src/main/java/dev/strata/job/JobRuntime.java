package dev.strata.job;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Flink settings of a curation run and the way to start one: locally (an embedded Flink with
 * its dashboard, or a MiniCluster in tests) or on whatever cluster the environment points at.
 * State lives in RocksDB with incremental checkpoints; exactly-once output needs checkpoints.
 */
public final class JobRuntime {
    private JobRuntime() {
    }

    /** Settings shared by every way of running the job. */
    public static Map<String, String> flinkSettings(String checkpointDir, long checkpointMillis) {
        Map<String, String> s = new HashMap<>();
        s.put("state.backend.type", "rocksdb");
        s.put("execution.checkpointing.incremental", "true");
        s.put("execution.checkpointing.storage", "filesystem");
        s.put("execution.checkpointing.dir", checkpointDir.contains("://") ? checkpointDir
                : Path.of(checkpointDir).toAbsolutePath().toUri().toString());
        s.put("execution.checkpointing.interval", checkpointMillis + " ms");
        s.put("execution.checkpointing.min-pause", Math.min(checkpointMillis, 1000) + " ms");
        s.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        s.put("restart-strategy.type", "exponential-delay");
        s.put("restart-strategy.exponential-delay.initial-backoff", "1 s");
        s.put("restart-strategy.exponential-delay.max-backoff", "30 s");
        return s;
    }

    /** Reads the model on the client: the job carries its version and dimension to every task. */
    public static ClusterTree clientModel(String modelPath) {
        return ModelFile.read(Path.of(modelPath));
    }

    /**
     * Starts the job on a local Flink. With a web UI port > 0 the dashboard is served on
     * 127.0.0.1 at that port.
     */
    public static JobClient startLocal(CurateConfig cfg, int topClusters, int parallelism, String checkpointDir,
            long checkpointMillis, int webUiPort) throws Exception {
        return startLocal(cfg, topClusters, parallelism, checkpointDir, checkpointMillis, webUiPort, null);
    }

    /** The same, restoring state from a savepoint or retained checkpoint when {@code restoreFrom} is set. */
    public static JobClient startLocal(CurateConfig cfg, int topClusters, int parallelism, String checkpointDir,
            long checkpointMillis, int webUiPort, String restoreFrom) throws Exception {
        Map<String, String> s = flinkSettings(checkpointDir, checkpointMillis);
        if (restoreFrom != null) {
            s.put("execution.state-recovery.path", restoreFrom);
        }
        s.put("parallelism.default", Integer.toString(parallelism));
        s.put("taskmanager.numberOfTaskSlots", Integer.toString(Math.max(parallelism, 1)));
        s.put("rest.bind-address", "127.0.0.1");
        s.put("rest.address", "127.0.0.1");
        // small managed memory: RocksDB state here is counters and short candidate lists
        s.put("taskmanager.memory.managed.size", "256 mb");
        StreamExecutionEnvironment env;
        if (webUiPort > 0) {
            requireFreePort(webUiPort);
            s.put("rest.port", Integer.toString(webUiPort));
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(Configuration.fromMap(s));
        } else {
            env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, Configuration.fromMap(s));
        }
        env.setParallelism(parallelism);
        CurationJob.build(env, cfg, topClusters);
        return env.executeAsync("strata curate " + cfg.inputTopic() + " -> " + cfg.outputTopic());
    }

    /** The embedded dashboard needs its port; say so before Flink fails on it with a stack trace. */
    public static void requireFreePort(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        } catch (java.io.IOException e) {
            throw new StrataException("port " + port + " is taken (a Flink session cluster from `strata cluster start`, "
                    + "or another dashboard?); stop it or pass --web-ui-port with a free port");
        }
    }
}
