package dev.strata.job;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The way to start a curation run locally (an embedded Flink with its dashboard, or a
 * MiniCluster in tests), with the local defaults of {@link FlinkSettings} where the job file is
 * silent. Exactly-once output needs checkpoints.
 */
public final class JobRuntime {
    /** Everything an embedded Flink listens on stays on this machine. */
    static final String LOOPBACK = "127.0.0.1";

    private JobRuntime() {}

    /** Reads the model on the client: the job carries its version and dimension to every task. */
    public static ClusterTree clientModel(String modelPath) {
        return ModelFile.read(Path.of(modelPath));
    }

    /**
     * Starts the job on a local Flink configured by {@link #localConfiguration}. With a web UI
     * port > 0 the dashboard is served on 127.0.0.1 at that port.
     */
    public static JobClient startLocal(CurateConfig cfg, int topClusters, int webUiPort, String restoreFrom)
            throws Exception {
        Configuration conf = localConfiguration(cfg.spec(), webUiPort, restoreFrom);
        checkLocal(cfg.spec(), conf);
        int parallelism = conf.get(CoreOptions.DEFAULT_PARALLELISM);
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

    /**
     * The transaction rule against what a local run would use (the job's settings over the local
     * defaults); the curate command calls it before anything starts.
     *
     * @throws ConfigProblem naming the job's keys where they broke the rule
     */
    public static void checkLocal(CurateSpec spec) {
        checkLocal(spec, localConfiguration(spec, 0, null));
    }

    private static void checkLocal(CurateSpec spec, Configuration conf) {
        TransactionTimeouts.check(conf, spec, ", the local default");
    }

    /** The folder a local run keeps its checkpoints in. */
    public static String localCheckpointDir(CurateSpec spec) {
        return FlinkSettings.checkpointDir(Configuration.fromMap(FlinkSettings.local(spec)));
    }

    /**
     * The configuration of a local Flink running the job: the local defaults with the job's own
     * settings over them (FlinkSettings), slots, addresses.
     */
    static Configuration localConfiguration(CurateSpec spec, int webUiPort, String restoreFrom) {
        Map<String, String> s = new HashMap<>(FlinkSettings.local(spec));
        int parallelism = Integer.parseInt(s.get("parallelism.default"));
        if (restoreFrom != null) {
            s.put("execution.state-recovery.path", restoreFrom);
        }
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
    public static JobClient startLocal(
            CurateConfig cfg,
            int topClusters,
            int parallelism,
            String checkpointDir,
            long checkpointMillis,
            int webUiPort)
            throws Exception {
        CurateSpec spec = cfg.spec()
                .with(Map.of(
                        "parallelism",
                        parallelism,
                        "checkpointing.dir",
                        checkpointDir,
                        "checkpointing.intervalMs",
                        checkpointMillis));
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
        requireFreePort(port, "give the dashboard another port");
    }

    /** The same, with {@code fix} saying how the caller's user changes the port (the CLI names its flag). */
    public static void requireFreePort(int port, String fix) {
        if (!portFree(port)) {
            throw new StrataException(
                    "port " + port + " is taken (a Flink session cluster from `strata cluster start`, "
                            + "or another dashboard?); stop it or " + fix);
        }
    }

    /** Whether the embedded dashboard could listen on this port of 127.0.0.1 now. */
    private static boolean portFree(int port) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
