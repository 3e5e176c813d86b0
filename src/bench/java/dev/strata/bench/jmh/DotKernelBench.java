package dev.strata.bench.jmh;

import dev.strata.vector.DotKernel;
import dev.strata.vector.Kernels;
import dev.strata.vector.PreparedRows;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One product A·Bᵀ of the distance kernel (docs/kernels.md), per kernel and shape, unprepared and
 * with B prepared once as the k-means and the job do: the micro-benchmark behind the GFLOP/s
 * figures (GFLOP/s = 2·m·n·d / time per call). Shapes: a k-means block (256 rows, k = 1000,
 * d = 256) and a streaming batch against 10,000 leaves at d = 768.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DotKernelBench {
    @Param({"vector", "openblas"})
    public String kernel;

    /** m x n x d. */
    @Param({"256x1000x256", "64x10000x768"})
    public String shape;

    private DotKernel k;
    private float[] a;
    private float[] b;
    private float[] c;
    private PreparedRows prepared;
    private int m;
    private int n;
    private int d;

    @Setup
    public void setUp() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        n = Integer.parseInt(s[1]);
        d = Integer.parseInt(s[2]);
        k = Kernels.byName(kernel);
        Random rnd = new Random(42);
        a = gaussian(rnd, m * d);
        b = gaussian(rnd, n * d);
        c = new float[m * n];
        prepared = k.prepare(b, 0, n, d);
    }

    @Benchmark
    public float[] perCall() {
        k.dotsTransposed(a, 0, m, b, n, d, c);
        return c;
    }

    @Benchmark
    public float[] preparedB() {
        k.dotsTransposed(a, 0, m, prepared, c);
        return c;
    }

    static float[] gaussian(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
