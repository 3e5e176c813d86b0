package dev.strata.cli;

import dev.strata.flink.rest.FlinkRest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description =
                "Stop a job; with --savepoint it takes a final savepoint first and prints its path (for upgrades and rescaling).")
public final class StopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "Job id.")
    String jobId;

    @Option(names = "--savepoint", description = "Stop with a savepoint (otherwise the job is cancelled).")
    boolean savepoint;

    @Option(names = "--jobmanager", defaultValue = "http://localhost:8081", description = "Default: ${DEFAULT-VALUE}.")
    String jobManager;

    @Option(names = "--dir", description = "Savepoint directory. Default: the cluster's savepoint dir.")
    String dir;

    @Override
    public Integer call() {
        FlinkRest rest = new FlinkRest(jobManager);
        if (savepoint) {
            spec.commandLine().getOut().println(rest.stopWithSavepoint(jobId, dir));
        } else {
            rest.cancel(jobId);
            spec.commandLine().getOut().println("cancelled " + jobId);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
