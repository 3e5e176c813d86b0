package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.bench.ReferenceComparison;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "benchmark-quality",
        mixinStandardHelpOptions = true,
        description =
                "Bootstrap quality and wall time over several seeds, side by side with a reference implementation "
                        + "run on the same files: Zipf mixtures in 64 and 256 dimensions (label entropy of a balanced "
                        + "selection), the paper's rings (entropy over rings) and 2-D mixture (KL of the top centroids to "
                        + "uniform). Results on stdout.")
public final class QualityBenchmarkCommand implements Callable<Integer> {
    @Option(
            names = "--reference",
            description = "A reference program taking oracle.py's 'curate' arguments "
                    + "(e.g. the numpy oracle); run with python3. Without it only Strata's column is filled.")
    Path reference;

    @Option(
            names = "--seeds",
            defaultValue = "1,2,3",
            description = "Method seeds (the data stay fixed). Default: ${DEFAULT-VALUE}.")
    String seeds;

    @Option(
            names = "--cases",
            defaultValue = "zipf-64,rings,mixture-2d,zipf-256",
            description = "Which data sets. Default: ${DEFAULT-VALUE}.")
    String cases;

    @Option(
            names = "--work",
            defaultValue = "target/quality-bench",
            description = "Where data and the reference's outputs go.")
    Path work;

    @Option(names = "--quick", description = "Smaller Zipf pools (20k x 64, 10k x 256) for a smoke run.")
    boolean quick;

    @Override
    public Integer call() {
        if (reference != null && !Files.isRegularFile(reference)) {
            throw new StrataException("--reference " + reference + ": no such file; give the path of oracle.py");
        }
        long[] s = Lists.ints("--seeds", seeds).stream()
                .mapToLong(Integer::longValue)
                .toArray();
        List<String> wanted = Arrays.stream(cases.split(",")).map(String::trim).collect(Collectors.toList());
        List<ReferenceComparison.Case> all = ReferenceComparison.cases(quick);
        List<String> known = all.stream().map(ReferenceComparison.Case::name).collect(Collectors.toList());
        for (String w : wanted) {
            if (!known.contains(w)) {
                throw new StrataException("--cases: unknown case '" + w + "'; choose from " + String.join(",", known));
            }
        }
        new ReferenceComparison(new PrintStream(System.out, true), work, reference)
                .run(all.stream().filter(c -> wanted.contains(c.name())).collect(Collectors.toList()), s);
        return 0;
    }
}
