package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.bench.DriftBenchmark;
import dev.strata.job.TopAdmission;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "benchmark-drift",
        mixinStandardHelpOptions = true,
        description =
                "Admission on drifted streams: fixed plan against adaptive quotas, next to the batch selection of the "
                        + "same stream with the same model. Builds a Zipf mixture, a model on half of it (and one without some "
                        + "concepts), and streams from the other half: with the pool's proportions, re-weighted, with unseen "
                        + "concepts, with V told exact, 2x too large and 2x too small. Prints delivered/T and entropy over "
                        + "concepts side by side.")
public final class DriftBenchmarkCommand implements Callable<Integer> {
    @Option(
            names = "--rows",
            defaultValue = "100000",
            description = "Mixture rows (half pool, half stream). Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--dim", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--concepts", defaultValue = "200", description = "Default: ${DEFAULT-VALUE}.")
    int concepts;

    @Option(
            names = "--zipf",
            defaultValue = "1.0",
            description = "Zipf exponent of concept sizes. Default: ${DEFAULT-VALUE}.")
    double zipf;

    @Option(
            names = "--largest",
            defaultValue = "20",
            description = "How many of the largest concepts the re-weighted "
                    + "streams thin out. Default: ${DEFAULT-VALUE}.")
    int largest;

    @Option(
            names = "--keep",
            defaultValue = "0.05",
            description = "Share of their rows those concepts keep. Default: ${DEFAULT-VALUE}.")
    double keep;

    @Option(
            names = "--unseen",
            defaultValue = "0.3",
            description = "Share of concepts the second model's pool leaves out. " + "Default: ${DEFAULT-VALUE}.")
    double unseen;

    @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Arrival counters feeding the planner, as in the " + "job. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Threads for bootstrap and assignment. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(
            names = "--levels",
            split = ",",
            description = "The models' levels, leaves first (e.g. 2000,20 for top clusters of about 100 "
                    + "leaves, as in the streaming benchmark's model). Default: bootstrap's automatic levels.")
    List<Integer> levels = List.of();

    @Option(
            names = "--replan-divisor",
            defaultValue = "" + TopAdmission.REPLAN_DIVISOR,
            description = "Adaptive admission re-plans a top cluster of L leaves every max(1, L / this) of its "
                    + "arrivals; 1000000 re-plans on every item (the reference). Default: ${DEFAULT-VALUE}.")
    int replanDivisor;

    @Override
    public Integer call() {
        if (rows < 2 * concepts) {
            throw new StrataException("--rows " + rows + " is below twice --concepts " + concepts
                    + "; each half needs a row of every concept: raise --rows");
        }
        if (!(keep >= 0 && keep <= 1) || !(unseen >= 0 && unseen < 1)) {
            throw new StrataException(
                    "--keep must be in [0, 1] and --unseen in [0, 1), got " + keep + " and " + unseen);
        }
        if (largest < 0 || largest > concepts || parallelism < 1 || threads < 1) {
            throw new StrataException("--largest must be in [0, --concepts], --parallelism and --threads at least 1");
        }
        if (replanDivisor < 1 || levels.stream().anyMatch(k -> k < 1)) {
            throw new StrataException("--replan-divisor and every --levels entry must be at least 1");
        }
        new DriftBenchmark(new PrintStream(System.out, true), threads, levels, replanDivisor)
                .run(rows, dim, concepts, zipf, largest, keep, unseen, seed, parallelism);
        return 0;
    }
}
