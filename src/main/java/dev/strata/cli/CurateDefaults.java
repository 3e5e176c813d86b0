package dev.strata.cli;

import dev.strata.job.CurateSpec;
import dev.strata.job.FlinkSettings;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Shows the job file's defaults in `curate --help`, so they are written once, in CurateSpec; for
 * Flink's settings, which a job file leaves to Flink, the local run's (FlinkSettings).
 */
public final class CurateDefaults implements IDefaultValueProvider {
    private static final Map<String, String> LOCAL_FLINK = Map.of(
            "parallelism", Integer.toString(FlinkSettings.LOCAL_PARALLELISM),
            "checkpointing.intervalMs", Long.toString(FlinkSettings.LOCAL_CHECKPOINT_INTERVAL_MS),
            "checkpointing.timeoutMs", Long.toString(FlinkSettings.LOCAL_CHECKPOINT_TIMEOUT_MS),
            "checkpointing.dir", FlinkSettings.LOCAL_CHECKPOINT_DIR);

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec o) {
            String key = CurateFlags.KEYS.get(o.longestName());
            if (key == null) {
                return null;
            }
            String d = CurateSpec.defaultOf(key);
            return d != null ? d : LOCAL_FLINK.get(key);
        }
        return null;
    }
}
