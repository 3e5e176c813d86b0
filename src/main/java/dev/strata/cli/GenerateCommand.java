package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.io.NpyReader;
import dev.strata.progress.Progress;
import dev.strata.synth.Generators;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Write synthetic long-tailed embeddings (FILE.npy) and their concept labels (FILE.labels.npy).")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--kind",
            required = true,
            description = "gmm (Zipf-sized Gaussian concepts) or rings (the paper's 2-D toy).")
    String kind;

    @Option(names = "--n", required = true, description = "Number of embeddings.")
    int n;

    @Option(names = "--dim", required = true, description = "Dimension (rings: 2).")
    int dim;

    @Option(
            names = "--concepts",
            defaultValue = "100",
            description = "gmm: number of concepts. Default: ${DEFAULT-VALUE}.")
    int concepts;

    @Option(
            names = "--zipf",
            defaultValue = "1.0",
            description = "gmm: Zipf exponent of concept sizes. Default: ${DEFAULT-VALUE}.")
    double zipf;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", required = true, description = "Output .npy (labels go beside it as .labels.npy).")
    Path out;

    @Override
    public Integer call() {
        if (n < 1 || dim < 1) {
            throw new StrataException("--n and --dim must be >= 1");
        }
        if (!out.getFileName().toString().endsWith(".npy")) {
            throw new StrataException("--out must end in .npy, got " + out);
        }
        long start = System.nanoTime();
        // streamed to disk for gmm, so a pool larger than the heap can be generated
        Path labels = Generators.write(kind, n, dim, concepts, zipf, seed, out, Progress.stderr());
        int[] counts = new int[0];
        for (int label : NpyReader.readLabels(labels)) {
            if (label >= counts.length) {
                counts = Arrays.copyOf(counts, label + 1);
            }
            counts[label]++;
        }
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (int c : counts) {
            if (c > 0) {
                max = Math.max(max, c);
                min = Math.min(min, c);
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "wrote %d x %d float32 to %s and labels to %s in %.1f s; %d concepts, largest/smallest %d/%d%n",
                n,
                dim,
                out,
                labels,
                (System.nanoTime() - start) / 1e9,
                counts.length,
                max,
                min);
        o.flush();
        return 0;
    }
}
