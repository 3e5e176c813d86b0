package dev.strata.cli;

import dev.strata.job.CurateSpec;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Shows the job file's defaults in `curate --help`, so they are written once, in CurateSpec. */
public final class CurateDefaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec o) {
            String key = CurateFlags.KEYS.get(o.longestName());
            return key != null ? CurateSpec.defaultOf(key) : null;
        }
        return null;
    }
}
