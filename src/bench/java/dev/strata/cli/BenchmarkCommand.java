package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.bench.BatchBenchmark;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description =
                "Measure the batch core in one run on the same synthetic data: dot-kernel GFLOP/s, then one-level "
                        + "k-means (random init, fixed iterations; k-means++ seeding timed apart) per thread count, compared "
                        + "with FAISS's reference time (docs/benchmarks.md). Results on stdout, progress on stderr.")
public final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--n", description = "Points. Default: 200000 (--quick: 20000).")
    Integer n;

    @Option(names = "--dim", description = "Dimension. Default: 256 (--quick: 64).")
    Integer dim;

    @Option(names = "--k", description = "Clusters. Default: 1000 (--quick: 100).")
    Integer k;

    @Option(names = "--iters", description = "Lloyd iterations, always all of them. Default: 20 (--quick: 5).")
    Integer iters;

    @Option(
            names = "--threads",
            defaultValue = "1,2",
            description = "Thread counts to time, e.g. 1,2. Default: ${DEFAULT-VALUE}.")
    String threads;

    @Option(
            names = "--kernel",
            defaultValue = "auto",
            description = "Kernel k-means uses: auto, openblas or vector "
                    + "(the kernel section always measures every kernel that loads). Default: ${DEFAULT-VALUE}.")
    String kernel;

    @Option(names = "--quick", description = "Small shapes for a smoke run (seconds, not minutes).")
    boolean quick;

    @Override
    public Integer call() {
        List<Integer> threadCounts = Lists.ints("--threads", threads);
        if (threadCounts.stream().anyMatch(t -> t < 1)) {
            throw new StrataException("--threads needs counts >= 1, got " + threads);
        }
        if (kernel.equalsIgnoreCase("scalar")) {
            throw new StrataException("--kernel scalar would take hours at these sizes; use auto, openblas or vector");
        }
        BatchBenchmark.Shape shape = new BatchBenchmark.Shape(
                orDefault(n, 200_000, 20_000),
                orDefault(dim, 256, 64),
                orDefault(k, 1000, 100),
                orDefault(iters, 20, 5));
        if (shape.n() < 1 || shape.dim() < 1 || shape.k() < 1 || shape.iters() < 1 || shape.k() > shape.n()) {
            throw new StrataException("need n >= k >= 1, dim >= 1 and iters >= 1; got " + shape);
        }
        PrintStream out = new PrintStream(System.out, true);
        new BatchBenchmark(out, quick ? 0.2 : 1.5).run(shape, threadCounts, kernel);
        return 0;
    }

    private int orDefault(Integer value, int full, int small) {
        return value != null ? value : quick ? small : full;
    }
}
