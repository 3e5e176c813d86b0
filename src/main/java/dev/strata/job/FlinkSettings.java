package dev.strata.job;

import dev.strata.StrataException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Flink owns Flink's settings. A job file's key reaches Flink only where the user wrote it
 * ({@link #ofJob}); everything else comes from the Flink configuration the job runs under: `flink
 * run -p`, the cluster's parallelism.default, execution.checkpointing.*, state.backend.* and
 * restart-strategy.*, or a FlinkDeployment's flinkConfiguration. The local commands (curate, demo)
 * have no cluster configuration, so they pass {@link #localDefaults} as theirs.
 */
public final class FlinkSettings {
    /** The local commands' checkpoint folder when neither the job nor the flags name one. */
    public static final String LOCAL_CHECKPOINT_DIR = ".strata/checkpoints";

    public static final int LOCAL_PARALLELISM = 2;
    public static final long LOCAL_CHECKPOINT_INTERVAL_MS = 5000;
    /** Two of these and the pause fit the sinks' 10 min transactions (TransactionTimeouts); Flink's 10 min do not. */
    public static final long LOCAL_CHECKPOINT_TIMEOUT_MS = 240_000;

    private FlinkSettings() {}

    /** The Flink keys a job file sets, and only those (parallelism goes through env.setParallelism). */
    public static Map<String, String> ofJob(CurateSpec spec) {
        CurateSpec.Checkpointing cp = spec.checkpointing();
        Map<String, String> s = new LinkedHashMap<>();
        if (cp.intervalMs() != null) {
            s.put(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), cp.intervalMs() + " ms");
        }
        if (cp.timeoutMs() != null) {
            s.put(CheckpointingOptions.CHECKPOINTING_TIMEOUT.key(), cp.timeoutMs() + " ms");
        }
        if (cp.dir() != null) {
            s.put(CheckpointingOptions.CHECKPOINT_STORAGE.key(), "filesystem");
            s.put(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), uri(cp.dir()));
        }
        return s;
    }

    /**
     * What `strata curate` and the demo run with where the job file is silent: the settings a
     * cluster's configuration would give (flink-jobs/cluster/config.yaml sets the same).
     * RocksDB with incremental checkpoints every 5 s, a 4 min timeout (two of them and the pause
     * fit the sinks' 10 min transactions, TransactionTimeouts), retained on cancellation, bounded
     * restarts, parallelism 2.
     */
    public static Map<String, String> localDefaults() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("parallelism.default", Integer.toString(LOCAL_PARALLELISM));
        s.put("state.backend.type", "rocksdb");
        s.put(CheckpointingOptions.INCREMENTAL_CHECKPOINTS.key(), "true");
        s.put(CheckpointingOptions.CHECKPOINT_STORAGE.key(), "filesystem");
        s.put(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), uri(localCheckpointDir()));
        s.put(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), LOCAL_CHECKPOINT_INTERVAL_MS + " ms");
        s.put(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS.key(), "1000 ms");
        s.put(CheckpointingOptions.CHECKPOINTING_TIMEOUT.key(), LOCAL_CHECKPOINT_TIMEOUT_MS + " ms");
        s.put(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION.key(), "RETAIN_ON_CANCELLATION");
        s.putAll(RestartPolicy.settings());
        return s;
    }

    /** The local defaults with the job file's keys over them: what a local run is configured with. */
    public static Map<String, String> local(CurateSpec spec) {
        Map<String, String> s = localDefaults();
        s.putAll(ofJob(spec));
        if (spec.checkpointing().intervalMs() != null) {
            // a short interval keeps its rhythm: the pause never exceeds it
            s.put(
                    CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS.key(),
                    Math.min(spec.checkpointing().intervalMs(), 1000) + " ms");
        }
        if (spec.parallelism() != null) {
            s.put("parallelism.default", Integer.toString(spec.parallelism()));
        }
        return s;
    }

    /** The checkpoint folder a configuration names (for messages), or null. */
    public static String checkpointDir(ReadableConfig conf) {
        return conf.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).orElse(null);
    }

    /**
     * The exactly-once sinks commit when a checkpoint completes: a job under a configuration
     * without checkpoints would never make its output visible.
     */
    static void requireCheckpointing(ReadableConfig conf) {
        Duration interval =
                conf.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(null);
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new StrataException(
                    "checkpointing is off: neither the job file (checkpointing.intervalMs) nor the Flink "
                            + "configuration (execution.checkpointing.interval) sets an interval, and the exactly-once sinks "
                            + "commit curated records only on checkpoints; set one of the two");
        }
    }

    /** .strata/checkpoints of the project folder (as job files resolve paths), else of the working folder. */
    private static String localCheckpointDir() {
        try {
            return dev.strata.local.ProjectHome.find()
                    .resolve(LOCAL_CHECKPOINT_DIR)
                    .toString();
        } catch (StrataException e) {
            return LOCAL_CHECKPOINT_DIR;
        }
    }

    private static String uri(String dir) {
        return dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().toUri().toString();
    }
}
