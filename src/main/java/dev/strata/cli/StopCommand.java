package dev.strata.cli;

import dev.strata.StrataException;
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

    @Option(
            names = "--drain",
            description = "With --savepoint: end the input first (Flink's stop --drain), so the job finishes its "
                    + "horizon: adaptive admission fills the target from the leaves' reserves. For a job that will not "
                    + "be resumed on this input.")
    boolean drain;

    @Override
    public Integer call() {
        FlinkRest rest = new FlinkRest(jobManager);
        if (drain && !savepoint) {
            throw new StrataException("--drain goes with --savepoint: strata stop JOB --savepoint --drain");
        }
        if (savepoint) {
            spec.commandLine().getOut().println(rest.stopWithSavepoint(jobId, dir, drain));
        } else {
            rest.cancel(jobId);
            spec.commandLine().getOut().println("cancelled " + jobId);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
