package dev.strata.bench.jmh;

import dev.strata.assign.LeafAssigner;
import dev.strata.assign.LeafAssigners;
import dev.strata.assign.LeafAssignment;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.model.BuildParams;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.synth.GaussianMixture;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Leaf assignment of one batch of 64 rows, exact (beam 0) and beam descent, one thread: the
 * micro-benchmark behind the rates of docs/assignment.md, on a smaller stand-in tree (levels
 * 2000, 200, 20 at d = 256 on a Zipf mixture, random seeding and 3 Lloyd iterations) so its
 * set-up takes seconds; `AssignBenchmark` keeps the production shape and the recall.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LeafAssignBench {
    private static final int ROWS = 40_000;
    private static final int DIM = 256;
    private static final int BATCH = 64;

    /** 0 = exact nearest leaf; otherwise the beam width of the descent. */
    @Param({"0", "2", "8"})
    public int beam;

    private LeafAssigner assigner;
    private FloatMatrix batch;

    @Setup(Level.Trial)
    public void setUp() {
        DotKernel kernel = Kernels.fastest();
        GaussianMixture mixture = new GaussianMixture(ROWS + BATCH, DIM, 100, 1.0, 1);
        FloatMatrix points = FloatMatrix.zeros(ROWS, DIM);
        mixture.fillRows(0, ROWS, points.data(), 0);
        batch = FloatMatrix.zeros(BATCH, DIM);
        mixture.fillRows(ROWS, BATCH, batch.data(), 0);
        List<Integer> levels = List.of(2000, 200, 20);
        BuildParams params = new BuildParams(
                levels,
                List.of(0, 0, 0),
                List.of(0, 0, 0),
                3,
                0,
                Init.RANDOM.label(),
                Resampling.CLOSEST.label(),
                1,
                1,
                kernel.name(),
                ROWS,
                mixture.toString());
        ClusterTree tree;
        try (KMeans km = new KMeans(kernel, 1, Progress.silent())) {
            tree = new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            points,
                            levels.stream().map(k -> new LevelSpec(k, 0, 0)).toList(),
                            new KMeansConfig(1, 3, 0, Init.RANDOM, Metric.L2, 1),
                            Resampling.CLOSEST,
                            params);
        }
        assigner = LeafAssigners.create(tree, beam, kernel);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        assigner.close();
    }

    @Benchmark
    public LeafAssignment assignBatch() {
        return assigner.assign(batch);
    }
}
