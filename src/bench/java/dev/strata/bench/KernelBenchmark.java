package dev.strata.bench;

import dev.strata.progress.Progress;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import dev.strata.vector.OpenBlasKernel;
import dev.strata.vector.ScalarKernel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Speed of the dot kernels and of nearest-centroid assignment on the shapes Strata runs, all in
 * one JVM on the same data so the figures compare. One method per section so more sections
 * (e.g. a full k-means) can be added. Run with {@code --add-modules jdk.incubator.vector}.
 */
public final class KernelBenchmark {
    /** Shapes of A * B^T: rows of A, rows of B, dim. */
    private static final int[][] KERNEL_SHAPES = {
        {256, 1000, 256}, // one k-means block: 256 rows against k=1000, d=256
        {64, 10000, 768}, // streaming leaf assignment: a batch of 64 against 10k leaves
        {4096, 4096, 768}, // large square-ish product, comparable to the 4096x768x4096 product in docs/kernels.md
    };
    /** The naive loop runs only here: on the shapes above it would take minutes. */
    private static final int[] SCALAR_SHAPE = {64, 1000, 256};

    private final PrintStream out;
    private final double minSeconds;
    private final Random rnd = new Random(42);

    private KernelBenchmark(PrintStream out, double minSeconds) {
        this.out = out;
        this.minSeconds = minSeconds;
    }

    public static void main(String[] args) {
        double minSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
        run(System.out, minSeconds);
    }

    /** Prints every section; each timing repeats its work for at least {@code minSeconds} after a warm-up. */
    public static void run(PrintStream out, double minSeconds) {
        KernelBenchmark b = new KernelBenchmark(out, minSeconds);
        b.header();
        b.kernels();
        b.assignment(200_000, 256, 1000);
    }

    private void header() {
        out.printf(
                Locale.ROOT,
                "java %s, %d cores, auto kernel: %s%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Kernels.byName("auto").name());
    }

    private List<DotKernel> fastKernels() {
        List<DotKernel> list = new ArrayList<>();
        try {
            list.add(Kernels.byName("vector"));
        } catch (RuntimeException e) {
            out.println("vector: unavailable (" + e.getMessage() + ")");
        }
        if (OpenBlasKernel.available()) {
            list.add(Kernels.byName("openblas"));
        } else {
            out.println("openblas: unavailable");
        }
        return list;
    }

    /**
     * The kernel section alone on caller-chosen shapes, so another benchmark (the CLI's
     * {@code benchmark}) can measure the kernels on the shape of its own k-means block.
     *
     * @param scalarShape the naive loop's shape, kept small: it is 30x slower than the others
     * @param shapes      {m, n, d} per row, timed with every fast kernel that loads
     */
    public static void kernels(PrintStream out, double minSeconds, int[] scalarShape, int[]... shapes) {
        new KernelBenchmark(out, minSeconds).kernels(scalarShape, shapes);
    }

    /** Single-thread GFLOP/s of each kernel, unprepared and with B prepared once. */
    private void kernels() {
        kernels(SCALAR_SHAPE, KERNEL_SHAPES);
    }

    private void kernels(int[] scalarShape, int[][] shapes) {
        out.println("== dot kernels, 1 thread, GFLOP/s (2*m*n*d flops per product)");
        out.printf(Locale.ROOT, "%-9s %-16s %10s %10s%n", "kernel", "m x n x d", "per call", "prepared B");
        timeKernel(new ScalarKernel(), scalarShape);
        for (int[] shape : shapes) {
            for (DotKernel k : fastKernels()) {
                timeKernel(k, shape);
            }
        }
    }

    private void timeKernel(DotKernel kernel, int[] shape) {
        int m = shape[0];
        int n = shape[1];
        int d = shape[2];
        float[] a = random(m * d);
        float[] b = random(n * d);
        float[] c = new float[m * n];
        double flops = 2.0 * m * n * d;
        double plain = flops / seconds(() -> kernel.dotsTransposed(a, 0, m, b, n, d, c)) / 1e9;
        var prepared = kernel.prepare(b, 0, n, d);
        double prep = flops / seconds(() -> kernel.dotsTransposed(a, 0, m, prepared, c)) / 1e9;
        out.printf(Locale.ROOT, "%-9s %-16s %10.1f %10.1f%n", kernel.name(), m + "x" + n + "x" + d, plain, prep);
    }

    /** NearestCentroids.assign on a k-means sized problem, 1 and 2 threads, every fast kernel. */
    private void assignment(int n, int d, int k) {
        out.printf(
                Locale.ROOT,
                "== NearestCentroids.assign n=%d d=%d k=%d (blocks of %d rows, tiles of %d centroids)%n",
                n,
                d,
                k,
                NearestCentroids.DEFAULT_BLOCK_ROWS,
                NearestCentroids.DEFAULT_TILE_CENTROIDS);
        out.printf(Locale.ROOT, "%-9s %7s %10s %12s %9s%n", "kernel", "threads", "GFLOP/s", "rows/s", "s/call");
        FloatMatrix data = new FloatMatrix(random(n * d), n, d);
        FloatMatrix centroids = new FloatMatrix(random(k * d), k, d);
        int[] idx = new int[n];
        float[] dist = new float[n];
        for (DotKernel kernel : fastKernels()) {
            // the same blocked products without the argmin, to show what the search costs on top
            var tile = kernel.prepare(centroids.data(), 0, k, d);
            int block = NearestCentroids.DEFAULT_BLOCK_ROWS;
            float[] dots = new float[block * k];
            double raw = seconds(() -> {
                for (int first = 0; first < n; first += block) {
                    kernel.dotsTransposed(data.data(), first * d, Math.min(block, n - first), tile, dots);
                }
            });
            out.printf(
                    Locale.ROOT,
                    "%-9s %7s %10.1f %12.0f %9.3f  (products only)%n",
                    kernel.name(),
                    1,
                    2.0 * n * k * d / raw / 1e9,
                    n / raw,
                    raw);
            for (int threads = 1; threads <= 2; threads++) {
                try (NearestCentroids nc = new NearestCentroids(kernel, threads)) {
                    double s = seconds(() -> nc.assign(data, centroids, idx, dist, Progress.silent()));
                    out.printf(
                            Locale.ROOT,
                            "%-9s %7d %10.1f %12.0f %9.3f%n",
                            kernel.name(),
                            threads,
                            2.0 * n * k * d / s / 1e9,
                            n / s,
                            s);
                }
            }
        }
    }

    /**
     * Seconds per run: a warm-up of at least minSeconds/2, then the fastest run seen in at least
     * minSeconds (and 3 runs). The fastest, not the mean, because the build machines are shared
     * and a mean mostly measures the neighbours.
     */
    private double seconds(Runnable work) {
        long warmEnd = System.nanoTime() + (long) (minSeconds * 0.5e9);
        do {
            work.run();
        } while (System.nanoTime() < warmEnd);
        long best = Long.MAX_VALUE;
        int runs = 0;
        long start = System.nanoTime();
        while (runs < 3 || System.nanoTime() - start < minSeconds * 1e9) {
            long t0 = System.nanoTime();
            work.run();
            best = Math.min(best, System.nanoTime() - t0);
            runs++;
        }
        return best / 1e9;
    }

    private float[] random(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
