package dev.strata.cli;

import dev.strata.bootstrap.flink.ClusterScalingBenchmark;
import dev.strata.local.ProjectHome;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "benchmark-cluster-bootstrap",
        mixinStandardHelpOptions = true,
        description =
                "The bootstrap on a local session cluster with 1 and 2 TaskManagers (wall time, passes over the pool), "
                        + "and the quality of the cluster's model against the local one over seeds (docs/benchmarks.md). "
                        + "Starts and stops its own clusters on free ports; needs target/strata-job.jar.")
public final class ClusterBootstrapBenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "100000", description = "Pool rows. Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--dim", defaultValue = "32", description = "Dimension. Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(
            names = "--concepts",
            defaultValue = "100",
            description = "Zipf mixture components. Default: ${DEFAULT-VALUE}.")
    int concepts;

    @Option(names = "--levels", defaultValue = "500,50", description = "Clusters per level. Default: ${DEFAULT-VALUE}.")
    String levels;

    @Option(names = "--resample-steps", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--iters", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(
            names = "--sample-rows",
            defaultValue = "25000",
            description = "Rows of level 1's first k-means on the cluster. Default: ${DEFAULT-VALUE}.")
    int sampleRows;

    @Option(
            names = "--taskmanagers",
            defaultValue = "1,2",
            description = "Cluster sizes to time. Default: ${DEFAULT-VALUE}.")
    String taskManagers;

    @Option(
            names = "--seeds",
            defaultValue = "1,2,3",
            description = "Seeds of the quality comparison. Default: ${DEFAULT-VALUE}.")
    String seeds;

    @Option(
            names = "--work",
            defaultValue = ".strata/benchmark-cluster-bootstrap",
            description = "Work folder. Default: ${DEFAULT-VALUE}.")
    Path work;

    @Override
    public Integer call() throws Exception {
        Path home = ProjectHome.find();
        new ClusterScalingBenchmark(
                        new ClusterScalingBenchmark.Settings(
                                rows,
                                dim,
                                concepts,
                                Lists.ints("--levels", levels),
                                steps,
                                iters,
                                sampleRows,
                                Lists.ints("--taskmanagers", taskManagers),
                                Lists.ints("--seeds", seeds).stream()
                                        .map(Integer::longValue)
                                        .toList(),
                                home.resolve(work)),
                        spec.commandLine().getOut(),
                        home)
                .run();
        return 0;
    }
}
