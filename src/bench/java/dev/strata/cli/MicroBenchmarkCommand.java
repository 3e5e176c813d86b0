package dev.strata.cli;

import dev.strata.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(
        name = "benchmark-micro",
        mixinStandardHelpOptions = true,
        description = "The JMH micro-benchmarks: DotKernelBench (one A*B^T product per kernel and shape) and "
                + "LeafAssignBench (one 64-row batch, exact and beam descent). Arguments go to JMH as they are, e.g. "
                + "`DotKernelBench -p kernel=vector -f 1` (JMH's own -h lists them). Results on stdout.")
public final class MicroBenchmarkCommand implements Callable<Integer> {
    /** JMH's own command line, passed on as it is; without a benchmark name, every one of ours runs. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws RunnerException {
        List<String> jmh = new ArrayList<>(args);
        if (jmh.stream().noneMatch(a -> !a.startsWith("-"))) {
            jmh.add("dev.strata.bench.jmh.");
        }
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(jmh.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            throw new StrataException("JMH does not take " + String.join(" ", args) + ": " + e.getMessage());
        }
        new Runner(options).run();
        return 0;
    }
}
