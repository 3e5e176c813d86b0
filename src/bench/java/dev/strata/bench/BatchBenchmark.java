package dev.strata.bench;

import dev.strata.progress.Progress;
import dev.strata.synth.GaussianMixture;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** What {@code strata benchmark} prints: kernel GFLOP/s, then one-level k-means per thread count. */
public final class BatchBenchmark {
    /** FAISS 1.7.3, 1 thread, n=200k d=256 k=1000, 20 iterations: measured once on this machine type (docs/benchmarks.md). */
    static final double FAISS_SECONDS = 24.0;

    static final Shape FAISS_SHAPE = new Shape(200_000, 256, 1000, 20);
    /** The data: the generator's defaults for 'gmm', seeded so every run clusters the same points. */
    static final int CONCEPTS = 100;

    static final double ZIPF = 1.0;
    static final long DATA_SEED = 42;
    /** The naive loop's shape in the kernel section (it is ~30x slower than the fast kernels). */
    private static final int SCALAR_ROWS = 64;

    public record Shape(int n, int dim, int k, int iters) {}

    private final PrintStream out;
    private final double minSeconds;

    /** @param minSeconds how long each kernel timing repeats (fastest run counts) */
    public BatchBenchmark(PrintStream out, double minSeconds) {
        this.out = out;
        this.minSeconds = minSeconds;
    }

    public void run(Shape shape, List<Integer> threads, String kernelName) {
        DotKernel kernel = Kernels.byName(kernelName);
        out.printf(
                Locale.ROOT,
                "strata benchmark %s: java %s, %d cores, load average %.2f at start%n",
                LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME),
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                loadAverage());
        Progress progress = Progress.stderr();
        progress.message("generating gmm n=" + shape.n() + " dim=" + shape.dim());
        FloatMatrix data = new GaussianMixture(shape.n(), shape.dim(), CONCEPTS, ZIPF, DATA_SEED)
                .generate()
                .points();
        out.printf(
                Locale.ROOT,
                "data: gmm n=%d dim=%d, %d concepts, zipf %.1f, seed %d (in memory)%n",
                shape.n(),
                shape.dim(),
                CONCEPTS,
                ZIPF,
                DATA_SEED);

        progress.message("timing the dot kernels");
        int block = NearestCentroids.DEFAULT_BLOCK_ROWS;
        KernelBenchmark.kernels(out, minSeconds, new int[] {SCALAR_ROWS, shape.k(), shape.dim()}, new int[] {
            block, shape.k(), shape.dim()
        });

        KMeansBenchmark bench = new KMeansBenchmark(data, shape.k(), shape.iters());
        out.printf(
                Locale.ROOT,
                "== k-means, one level: n=%d d=%d k=%d, %d Lloyd iterations, random init, kernel %s%n",
                shape.n(),
                shape.dim(),
                shape.k(),
                shape.iters(),
                kernel.name());
        out.printf(
                Locale.ROOT,
                "   assignment = 2*n*k*d = %.1f GFLOP per iteration; 'eff.' = iterations x that / Lloyd "
                        + "time (update step included); 'best it.' = the fastest single iteration; 'assign' = one assignment "
                        + "pass alone (fastest of 2)%n",
                bench.assignFlops() / 1e9);
        out.printf(
                Locale.ROOT,
                "%7s %8s %8s %8s %10s %10s %11s %10s %9s%n",
                "threads",
                "total s",
                "Lloyd s",
                "s/iter",
                "eff.GF/s",
                "best it.s",
                "assign GF/s",
                "k-means++s",
                "vs FAISS");
        for (int t : threads) {
            progress.message("k-means with " + t + " thread(s)");
            KMeansBenchmark.Result r = bench.run(kernel, t);
            out.printf(
                    Locale.ROOT,
                    "%7d %8.1f %8.1f %8.2f %10.1f %10.2f %11.1f %10.1f %9s%n",
                    t,
                    r.totalSeconds(),
                    r.lloydSeconds(),
                    r.lloydSeconds() / shape.iters(),
                    shape.iters() * bench.assignFlops() / r.lloydSeconds() / 1e9,
                    r.fastestIteration(),
                    bench.assignFlops() / r.assignSeconds() / 1e9,
                    r.plusPlusSeconds(),
                    faissRatio(shape, r.totalSeconds()));
            if (r.emptyClusters() > 0) {
                out.printf(
                        Locale.ROOT, "        (%d empty clusters kept their previous centroid)%n", r.emptyClusters());
            }
        }
        if (shape.equals(FAISS_SHAPE)) {
            out.printf(
                    Locale.ROOT,
                    "vs FAISS = our total time / %.0f s, FAISS 1.7.3 on 1 thread at this shape, a reference "
                            + "figure recorded in docs/benchmarks.md (same machine type), not re-run here; above 1 = slower than FAISS%n",
                    FAISS_SECONDS);
        } else {
            out.println(
                    "vs FAISS: '-' because the FAISS reference (docs/benchmarks.md) is for n=200000 d=256 k=1000, 20 iterations only");
        }
        out.printf(Locale.ROOT, "load average %.2f at end%n", loadAverage());
    }

    private static String faissRatio(Shape shape, double seconds) {
        return shape.equals(FAISS_SHAPE) ? String.format(Locale.ROOT, "%.2fx", seconds / FAISS_SECONDS) : "-";
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
