package dev.strata.bench.jmh;

import dev.strata.job.LeafReserve;
import dev.strata.job.TopAdmission;
import dev.strata.job.TopCounters;
import dev.strata.job.TopPlan;
import dev.strata.job.TopPlanner;
import dev.strata.model.BuildParams;
import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.model.ModelFile;
import dev.strata.sampling.StreamQuotas;
import dev.strata.sampling.Uniform;
import dev.strata.vector.FloatMatrix;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Adaptive admission's per-item work, Flink and RocksDB left out: {@link TopAdmission#decide}
 * for every item and {@link TopAdmission#reserveRoomFor} for every refused one, as
 * {@code AdaptiveAdmissionFunction} calls them, with a new {@link TopPlan} every 100 items (the
 * job's plans come every 0.1% of V per arrival counter). The tree has the production model's
 * shape (10,000 leaves under 1,000 clusters under 100 top clusters, children per parent and
 * pool sizes long-tailed), so the heavy top clusters hold hundreds of leaves, as in
 * docs/benchmarks.md's streaming runs; centroids are irrelevant to admission and left random.
 * The stream draws leaves by pool size, T = V / 10, and runs over the first tenth of V, where
 * plans still move.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdaptiveAdmissionBench {
    private static final int ITEMS = 20_000;
    private static final long VOLUME = 200_000;
    private static final int PLAN_EVERY = 100;

    /** A model file to run on instead of the synthetic tree (e.g. the one benchmark-stream uses). */
    @Param({""})
    public String model;

    /** Re-plan a top cluster of L leaves every max(1, L / divisor) arrivals (the job's: TopAdmission.REPLAN_DIVISOR). */
    @Param({"" + TopAdmission.REPLAN_DIVISOR})
    public int divisor;

    private ClusterTree tree;
    private int[] leaves;
    private String[] ids;
    private int[] topOf;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(1);
        int[] mid = longTailedParents(10_000, 1_000, rnd);
        int[] top = longTailedParents(1_000, 100, rnd);
        long[] leafSize = new long[10_000];
        for (int i = 0; i < leafSize.length; i++) {
            leafSize[i] = 1 + (long) (100 * Math.pow(rnd.nextDouble(), 3));
        }
        tree = model.isEmpty() ? tree(mid, top, leafSize) : ModelFile.read(Path.of(model));
        leafSize = tree.leaves().size();
        topOf = tree.topOfLeaves();
        int[] perTop = new int[tree.top().clusters()];
        for (int t : topOf) {
            perTop[t]++;
        }
        System.err.printf(
                "tree: %d leaves, %d top clusters, leaves per top cluster: median %d, largest %d%n",
                topOf.length,
                perTop.length,
                Arrays.stream(perTop).sorted().toArray()[perTop.length / 2],
                Arrays.stream(perTop).max().orElse(0));
        long[] cumulative = new long[leafSize.length];
        long sum = 0;
        for (int i = 0; i < leafSize.length; i++) {
            sum += leafSize[i];
            cumulative[i] = sum;
        }
        leaves = new int[ITEMS];
        ids = new String[ITEMS];
        for (int k = 0; k < ITEMS; k++) {
            int at = Arrays.binarySearch(cumulative, 1 + (long) (rnd.nextDouble() * sum));
            leaves[k] = at >= 0 ? at : -at - 1;
            ids[k] = "item-" + k;
        }
    }

    /** One pass over the first {@value #ITEMS} items of a fresh horizon; the score is per item. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public long decideAndReserve() {
        TopPlanner planner = new TopPlanner(tree, StreamQuotas.of(tree, VOLUME / 10, VOLUME, 0), 0);
        TopAdmission admission = new TopAdmission(tree, 0, divisor);
        TopCounters[] counters = new TopCounters[tree.top().clusters()];
        long[] seenTop = new long[counters.length];
        TopPlan plan = planner.initial();
        long touched = 0;
        for (int k = 0; k < ITEMS; k++) {
            int leaf = leaves[k];
            int t = topOf[leaf];
            TopCounters c = counters[t] == null ? (counters[t] = admission.counters(t)) : counters[t];
            if (admission.decide(c, leaf, t, plan, Uniform.of(0, ids[k])) != TopAdmission.Decision.ACCEPTED) {
                touched += admission.reserveRoomFor(c, leaf, t, plan, LeafReserve.priority(0, ids[k]));
            }
            seenTop[t]++;
            if (k % PLAN_EVERY == PLAN_EVERY - 1) {
                plan = planner.plan(seenTop, 0);
            }
        }
        return touched;
    }

    /** Parents for {@code children} clusters among {@code parents}: a Zipf-like share each. */
    private static int[] longTailedParents(int children, int parents, Random rnd) {
        double[] weight = new double[parents];
        double sum = 0;
        for (int p = 0; p < parents; p++) {
            weight[p] = 1.0 / (p + 1);
            sum += weight[p];
        }
        int[] parent = new int[children];
        // every parent gets one child, the rest go by weight
        for (int i = 0; i < children; i++) {
            if (i < parents) {
                parent[i] = i;
                continue;
            }
            double u = rnd.nextDouble() * sum;
            int p = 0;
            while (p < parents - 1 && (u -= weight[p]) > 0) {
                p++;
            }
            parent[i] = p;
        }
        return parent;
    }

    private static ClusterTree tree(int[] leafParent, int[] midParent, long[] leafSize) {
        long[] midSize = new long[midParent.length];
        for (int i = 0; i < leafParent.length; i++) {
            midSize[leafParent[i]] += leafSize[i];
        }
        int tops = Arrays.stream(midParent).max().orElse(0) + 1;
        long[] topSize = new long[tops];
        for (int i = 0; i < midParent.length; i++) {
            topSize[midParent[i]] += midSize[i];
        }
        int[] none = new int[tops];
        Arrays.fill(none, -1);
        BuildParams params = new BuildParams(
                List.of(leafParent.length, midParent.length, tops),
                List.of(0, 0, 0),
                List.of(0, 0, 0),
                1,
                0,
                "random",
                "closest",
                0,
                1,
                "none",
                Arrays.stream(leafSize).sum(),
                "synthetic");
        return new ClusterTree(
                Metric.L2,
                2,
                List.of(
                        new ClusterLevel(FloatMatrix.zeros(leafParent.length, 2), leafParent, leafSize),
                        new ClusterLevel(FloatMatrix.zeros(midParent.length, 2), midParent, midSize),
                        new ClusterLevel(FloatMatrix.zeros(tops, 2), none, topSize)),
                params,
                "bench");
    }
}
