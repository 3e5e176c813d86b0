package dev.strata.cli;

import java.util.List;

/** The `benchmark*` commands, registered with the command line when strata-bench.jar is on the class path. */
public final class BenchmarkCommands implements CommandSet {
    @Override
    public List<Object> commands() {
        return List.of(
                new BenchmarkCommand(),
                new StreamBenchmarkCommand(),
                new QualityBenchmarkCommand(),
                new DriftBenchmarkCommand(),
                new MicroBenchmarkCommand(),
                new ClusterBootstrapBenchmarkCommand(),
                new ScaleBenchmarkCommand());
    }
}
