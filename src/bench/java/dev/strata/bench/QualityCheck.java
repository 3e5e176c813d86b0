package dev.strata.bench;

import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.LeafStrategy;
import dev.strata.synth.PaperMixture2d;
import dev.strata.synth.Rings;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.DotKernel;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The paper's two toy checks at full size, end to end in one JVM (docs/benchmarks.md, "Quality"):
 * the rings' per-ring counts in a 1000-point selection, and the 2-D mixture's top centroids
 * against uniform. Settings are those of the CLI's defaults ('bootstrap' then 'select'), so for
 * a seed the rings row equals what generate/bootstrap/select give with that seed everywhere.
 *
 * <p>Usage: {@code QualityCheck [seeds]}, seeds comma-separated, default 0,1,2.
 */
public final class QualityCheck {
    /** bootstrap's default --iters. */
    static final int ITERATIONS = 50;

    static final int RINGS_TARGET = 1000;
    static final int GRID = 6;

    private final PrintStream out;
    private final DotKernel kernel = Kernels.fastest();
    private final int threads = Runtime.getRuntime().availableProcessors();

    private QualityCheck(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        long[] seeds = args.length > 0
                ? Arrays.stream(args[0].split(",")).mapToLong(Long::parseLong).toArray()
                : new long[] {0, 1, 2};
        QualityCheck q = new QualityCheck(System.out);
        q.rings(seeds);
        q.mixture(seeds);
    }

    private void rings(long[] seeds) {
        out.printf(
                Locale.ROOT,
                "== rings: sizes %s, levels 1000,300, sample sizes 15,2, 10 resampling steps (closest), "
                        + "%d iterations, k-means++; select %d, random leaf strategy; kernel %s%n",
                Arrays.toString(Rings.paperSizes()),
                ITERATIONS,
                RINGS_TARGET,
                kernel.name());
        out.printf(
                Locale.ROOT,
                "%4s %-13s %6s %6s %6s %6s %6s %5s %5s%n",
                "seed",
                "resampling",
                "ring0",
                "ring1",
                "ring2",
                "ring3",
                "ring4",
                "min",
                "max");
        for (long seed : seeds) {
            SyntheticData data =
                    Rings.generate(Arrays.stream(Rings.paperSizes()).sum(), seed);
            ringsRow(seed, "10 steps", data, List.of(new LevelSpec(1000, 15, 10), new LevelSpec(300, 2, 10)));
            ringsRow(seed, "none", data, List.of(new LevelSpec(1000, 15, 0), new LevelSpec(300, 2, 0)));
        }
        out.println("paper (its own code): 112-248 per ring");
    }

    private void ringsRow(long seed, String label, SyntheticData data, List<LevelSpec> levels) {
        ClusterTree tree = build(data, levels, seed);
        long[] per = selectedPerLabel(tree, data, RINGS_TARGET, seed, Rings.paperSizes().length);
        long min = Arrays.stream(per).min().orElse(0);
        long max = Arrays.stream(per).max().orElse(0);
        out.printf(
                Locale.ROOT,
                "%4d %-13s %6d %6d %6d %6d %6d %5d %5d%s%n",
                seed,
                label,
                per[0],
                per[1],
                per[2],
                per[3],
                per[4],
                min,
                max,
                collapseNote(tree));
    }

    private void mixture(long[] seeds) {
        out.printf(
                Locale.ROOT,
                "== 2-D mixture: sizes %s (last = uniform on [-3,3]^2), %d iterations, k-means++; "
                        + "KL(top centroids || uniform) on a %dx%d grid, +0.5 per cell (CurationQualityTest's method)%n",
                Arrays.toString(PaperMixture2d.paperSizes()),
                ITERATIONS,
                GRID,
                GRID);
        out.printf(Locale.ROOT, "%4s %28s %28s%n", "seed", "3 levels 3000,1000,300 s=2", "plain k-means k=300");
        for (long seed : seeds) {
            SyntheticData data = PaperMixture2d.generate(seed);
            ClusterTree hier = build(
                    data,
                    List.of(new LevelSpec(3000, 2, 10), new LevelSpec(1000, 2, 10), new LevelSpec(300, 2, 10)),
                    seed);
            ClusterTree flat = build(data, List.of(new LevelSpec(300, 0, 0)), seed);
            out.printf(
                    Locale.ROOT,
                    "%4d %28.3f %28.3f%s%n",
                    seed,
                    GridKl.toUniform(hier.top().centroids(), GRID),
                    GridKl.toUniform(flat.top().centroids(), GRID),
                    collapseNote(hier));
        }
        out.println("paper (its own KL estimate): 0.042 hierarchical vs 0.34 plain k-means");
    }

    private ClusterTree build(SyntheticData data, List<LevelSpec> levels, long seed) {
        return build(kernel, threads, data, levels, seed);
    }

    /** bootstrap's defaults (50 iterations, k-means++, closest resampling, L2) on the given levels. */
    static ClusterTree build(DotKernel kernel, int threads, SyntheticData data, List<LevelSpec> levels, long seed) {
        return buildCounted(kernel, threads, data, levels, seed).tree();
    }

    /** A model and the share of row-to-centre distances its k-means steps computed against the unpruned steps. */
    record Built(ClusterTree tree, double distanceShare) {}

    static Built buildCounted(DotKernel kernel, int threads, SyntheticData data, List<LevelSpec> levels, long seed) {
        Progress progress = Progress.silent();
        try (KMeans km = new KMeans(kernel, threads, progress)) {
            ClusterTree tree = new HierarchicalKMeans(km, progress)
                    .fit(
                            data.points(),
                            levels,
                            new KMeansConfig(1, ITERATIONS, 0, Init.KMEANS_PLUS_PLUS, Metric.L2, seed),
                            Resampling.CLOSEST,
                            null);
            return new Built(tree, km.distances().share());
        }
    }

    private long[] selectedPerLabel(ClusterTree tree, SyntheticData data, long target, long seed, int labels) {
        long[] per = new long[labels];
        for (int r : select(kernel, threads, tree, data, target, seed)) {
            per[data.labels()[r]]++;
        }
        return per;
    }

    /** What 'select --target T --seed S' does: exact leaf assignment, then balanced selection (random leaf strategy). */
    static int[] select(DotKernel kernel, int threads, ClusterTree tree, SyntheticData data, long target, long seed) {
        LeafAssignment a;
        try (NearestCentroids nearest = new NearestCentroids(kernel, threads)) {
            a = new ExactAssigner(tree, nearest).assign(data.points(), Progress.silent());
        }
        return BalancedSelection.select(tree, a.leaf(), a.distanceSq(), target, LeafStrategy.RANDOM, seed);
    }

    private static String collapseNote(ClusterTree tree) {
        StringBuilder sb = new StringBuilder();
        for (int t = 1; t <= tree.depth(); t++) {
            if (LevelStats.of(t, tree.level(t).size()).collapsed()) {
                sb.append(sb.length() == 0 ? "  collapsed: level " : ", ").append(t);
            }
        }
        return sb.toString();
    }
}
