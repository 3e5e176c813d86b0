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
    /** Everything an embedded Flink listens on stays on this machine. */
    static final String LOOPBACK = "127.0.0.1";

    private JobRuntime() {
    }

    /** Checkpoint settings of a job, the same however it runs. */
    public static Map<String, String> flinkSettings(CurateSpec spec) {
        CurateSpec.Checkpointing cp = spec.checkpointing();
        String dir = cp.dir();
        Map<String, String> s = new HashMap<>();
        s.put("state.backend.type", "rocksdb");
        s.put("execution.checkpointing.incremental", "true");
        s.put("execution.checkpointing.storage", "filesystem");
        s.put("execution.checkpointing.dir", dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().toUri().toString());
        s.put("execution.checkpointing.interval", cp.intervalMs() + " ms");
        s.put("execution.checkpointing.min-pause", TransactionTimeouts.minPauseMs(cp.intervalMs()) + " ms");
        // bounded so that a checkpoint ends before the sinks' transactions time out (TransactionTimeouts)
        s.put("execution.checkpointing.timeout", cp.timeoutMs() + " ms");
        s.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        return s;
    }

    /** Reads the model on the client: the job carries its version and dimension to every task. */
    public static ClusterTree clientModel(String modelPath) {
        return ModelFile.read(Path.of(modelPath));
    }

    /**
     * Starts the job on a local Flink with the spec's parallelism and checkpoints. With a web UI
     * port > 0 the dashboard is served on 127.0.0.1 at that port.
     */
    public static JobClient startLocal(CurateConfig cfg, int topClusters, int webUiPort, String restoreFrom)
            throws Exception {
        int parallelism = cfg.spec().parallelism();
        Configuration conf = localConfiguration(cfg.spec(), webUiPort, restoreFrom);
        StreamExecutionEnvironment env;
        if (webUiPort > 0) {
            requireFreePort(webUiPort);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        } else {
            env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        }
        env.setParallelism(parallelism);
        CurationJob.build(env, cfg, topClusters);
        return env.executeAsync("strata curate " + cfg.inputTopic() + " -> " + cfg.outputTopic());
    }

    /** The configuration of a local Flink running the job: its settings, restarts, slots, addresses. */
    static Configuration localConfiguration(CurateSpec spec, int webUiPort, String restoreFrom) {
        int parallelism = spec.parallelism();
        Map<String, String> s = flinkSettings(spec);
        s.putAll(RestartPolicy.settings());
        if (restoreFrom != null) {
            s.put("execution.state-recovery.path", restoreFrom);
        }
        s.put("parallelism.default", Integer.toString(parallelism));
        s.put("taskmanager.numberOfTaskSlots", Integer.toString(Math.max(parallelism, 1)));
        s.putAll(loopbackSettings());
        // small managed memory: RocksDB state here is counters and short candidate lists
        s.put("taskmanager.memory.managed.size", "256 mb");
        if (webUiPort > 0) {
            s.put("rest.port", Integer.toString(webUiPort));
        }
        return Configuration.fromMap(s);
    }

    /**
     * The same job with another parallelism and checkpoint folder and interval (tests); the
     * changed settings are checked like the rest.
     */
    public static JobClient startLocal(CurateConfig cfg, int topClusters, int parallelism, String checkpointDir,
            long checkpointMillis, int webUiPort) throws Exception {
        CurateSpec spec = cfg.spec().with(Map.of("parallelism", parallelism, "checkpointing.dir", checkpointDir,
                "checkpointing.intervalMs", checkpointMillis));
        return startLocal(new CurateConfig(spec, cfg.modelVersion(), cfg.modelDim()), topClusters, webUiPort, null);
    }

    /**
     * An embedded Flink listens on the loopback interface only. The blob server binds
     * jobmanager.bind-host and falls back to every interface (measured: [::] next to the
     * dashboard on 127.0.0.1, LoopbackListenersIT); the RPC and data services take the other two.
     */
    static Map<String, String> loopbackSettings() {
        Map<String, String> s = new HashMap<>();
        s.put("rest.bind-address", LOOPBACK);
        s.put("rest.address", LOOPBACK);
        s.put("jobmanager.bind-host", LOOPBACK);
        s.put("jobmanager.rpc.address", LOOPBACK);
        s.put("taskmanager.bind-host", LOOPBACK);
        s.put("taskmanager.host", LOOPBACK);
        return s;
    }

    /** The embedded dashboard needs its port; say so before Flink fails on it with a stack trace. */
    public static void requireFreePort(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(LOOPBACK, port));
        } catch (java.io.IOException e) {
            throw new StrataException("port " + port + " is taken (a Flink session cluster from `strata cluster start`, "
                    + "or another dashboard?); stop it or pass --web-ui-port with a free port");
        }
    }
}
