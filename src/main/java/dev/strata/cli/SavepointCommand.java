package dev.strata.cli;

import dev.strata.flink.rest.FlinkRest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "savepoint",
        mixinStandardHelpOptions = true,
        description = "Take a savepoint of a running job; prints its path.")
public final class SavepointCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", description = "Job id (see the dashboard or `strata cluster status`).")
    String jobId;

    @Option(names = "--jobmanager", defaultValue = "http://localhost:8081", description = "Default: ${DEFAULT-VALUE}.")
    String jobManager;

    @Option(names = "--dir", description = "Target directory. Default: the cluster's savepoint dir.")
    String dir;

    @Override
    public Integer call() {
        String location = new FlinkRest(jobManager).savepoint(jobId, dir);
        spec.commandLine().getOut().println(location);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
