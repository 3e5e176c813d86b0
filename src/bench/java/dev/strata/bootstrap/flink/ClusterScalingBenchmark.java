package dev.strata.bootstrap.flink;

import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.flink.rest.FlinkRest;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.KMeans;
import dev.strata.local.LocalFlinkCluster;
import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.LeafStrategy;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The cluster bootstrap on the local session cluster with 1 and with 2 TaskManagers on the same
 * pool (wall time, passes, rows read), the same settings in one JVM for reference, and, over
 * seeds, the quality of the cluster's model against the local one when level 1's first k-means
 * runs on a sample of the pool (docs/benchmarks.md, "Bootstrap on a Flink cluster"). Not part of
 * the test run.
 */
public final class ClusterScalingBenchmark {
    /** Settings of one run. */
    public record Settings(
            int rows,
            int dim,
            int concepts,
            List<Integer> levels,
            int resampleSteps,
            int iters,
            int sampleRows,
            List<Integer> taskManagers,
            List<Long> seeds,
            Path work) {}

    private final Settings s;
    private final PrintWriter out;
    private final Path home;
    private final Path jar;

    public ClusterScalingBenchmark(Settings s, PrintWriter out, Path home) {
        this.s = s;
        this.out = out;
        this.home = home;
        this.jar = home.resolve("target/strata-job.jar");
    }

    public void run() throws IOException {
        Files.createDirectories(s.work());
        SyntheticData data = new GaussianMixture(s.rows(), s.dim(), s.concepts(), 1.0, 11L).generate();
        Path pool = s.work().resolve("pool.npy");
        data.write(pool);
        out.printf(
                Locale.ROOT,
                "pool: %d x %d Zipf mixture (%d concepts); levels %s, %d resampling steps, %d iterations; "
                        + "first k-means on %d sampled rows; kernel %s, %d cores%n",
                s.rows(),
                s.dim(),
                s.concepts(),
                s.levels(),
                s.resampleSteps(),
                s.iters(),
                Math.min(s.sampleRows(), s.rows()),
                Kernels.fastest().name(),
                Runtime.getRuntime().availableProcessors());
        out.printf(
                Locale.ROOT,
                "%-13s %-12s %8s %7s %12s%n",
                "taskmanagers",
                "parallelism",
                "wall s",
                "passes",
                "rows read");
        for (int tms : s.taskManagers()) {
            ClusterBootstrapSpec spec = spec(
                    pool,
                    s.work().resolve("scaling-" + tms + ".model"),
                    s.seeds().get(0));
            spec.parallelism = 2 * tms; // every slot of every TaskManager (2 per TaskManager, cluster/config.yaml)
            ClusterBootstrapClient.Outcome o = onCluster(tms, List.of(spec)).get(0);
            out.printf(
                    Locale.ROOT,
                    "%-13d %-12d %8.1f %7d %12d%n",
                    tms,
                    spec.parallelism,
                    o.seconds(),
                    o.passes(),
                    o.rowsScanned());
            out.flush();
        }
        long t0 = System.nanoTime();
        local(data, spec(pool, null, s.seeds().get(0)));
        out.printf(
                Locale.ROOT,
                "one JVM (strata bootstrap's code, first k-means on every row): %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        out.printf(
                Locale.ROOT,
                "quality, normalised entropy of the labels of %d selected rows (local: first k-means on every "
                        + "row; cluster: on %d sampled rows):%n",
                s.rows() / 20,
                Math.min(s.sampleRows(), s.rows()));
        out.printf(Locale.ROOT, "%6s %8s %8s %8s%n", "seed", "local", "cluster", "diff");
        List<ClusterBootstrapSpec> specs = s.seeds().stream()
                .map(seed -> {
                    ClusterBootstrapSpec sp = spec(pool, s.work().resolve("quality-" + seed + ".model"), seed);
                    sp.parallelism = 4;
                    return sp;
                })
                .toList();
        onCluster(2, specs);
        for (ClusterBootstrapSpec sp : specs) {
            double local = entropy(local(data, sp), data, sp.seed);
            double cluster = entropy(ModelFile.read(Path.of(sp.out)), data, sp.seed);
            out.printf(Locale.ROOT, "%6d %8.4f %8.4f %+8.4f%n", sp.seed, local, cluster, cluster - local);
            out.flush();
        }
    }

    private ClusterBootstrapSpec spec(Path pool, Path model, long seed) {
        StringBuilder y =
                new StringBuilder("job: bootstrap\ninput: " + pool + "\nout: " + (model == null ? "unused" : model)
                        + "\nlevels: " + s.levels() + "\nresampleSteps: " + s.resampleSteps() + "\niters: " + s.iters()
                        + "\nseed: "
                        + seed + "\nthreads: 1\nsampleRows: " + s.sampleRows() + "\n");
        return ClusterBootstrapSpec.parse(y.toString(), "benchmark", null);
    }

    private List<ClusterBootstrapClient.Outcome> onCluster(int taskManagers, List<ClusterBootstrapSpec> specs) {
        LocalFlinkCluster cluster =
                new LocalFlinkCluster(home, s.work().resolve("flink-" + taskManagers), freePort(), freePort());
        try {
            cluster.start(taskManagers);
            FlinkRest rest = cluster.rest();
            String jarId = rest.uploadJar(jar);
            ClusterBootstrapClient client = new ClusterBootstrapClient(rest, new PrintWriter(System.err, true));
            return specs.stream()
                    .map(spec -> client.await(client.submit(jarId, spec, spec.parallelism)))
                    .toList();
        } finally {
            cluster.stop();
        }
    }

    private static ClusterTree local(SyntheticData data, ClusterBootstrapSpec spec) {
        try (KMeans km = new KMeans(Kernels.fastest(), Runtime.getRuntime().availableProcessors(), Progress.silent())) {
            return new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            data.points(),
                            spec.levelSpecs(data.points().rows()),
                            spec.base(),
                            spec.resamplingMode(),
                            null);
        }
    }

    private static double entropy(ClusterTree tree, SyntheticData data, long seed) {
        LeafAssignment a;
        try (NearestCentroids nearest =
                new NearestCentroids(Kernels.fastest(), Runtime.getRuntime().availableProcessors())) {
            a = new ExactAssigner(tree, nearest).assign(data.points());
        }
        int[] selected = BalancedSelection.select(
                tree, a.leaf(), a.distanceSq(), data.points().rows() / 20, LeafStrategy.RANDOM, seed);
        long[] count = new long[data.labelCounts().length];
        for (int r : selected) {
            count[data.labels()[r]]++;
        }
        return LevelStats.normalizedEntropy(count);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
