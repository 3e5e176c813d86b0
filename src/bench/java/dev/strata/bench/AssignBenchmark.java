package dev.strata.bench;

import dev.strata.StrataException;
import dev.strata.assign.RecallMeter;
import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.Init;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.Resampling;
import dev.strata.model.BuildParams;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.synth.GaussianMixture;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Streaming leaf assignment on the production shape: a tree with 10,000 leaves at d = 768,
 * batches of 64 rows, one thread. Prints the exact rate, then rate and recall of beam descent for
 * several beam widths, on held-out rows of the mixture the tree was built on.
 *
 * <p>The tree is built here on a Zipf Gaussian mixture with a cheap recipe (random seeding, a few
 * Lloyd iterations, no resampling) so the benchmark runs in minutes: it is a stand-in for a
 * bootstrapped model, good enough to time the descent, not a curated model. {@code --save}
 * writes it so the streaming benchmark (and later runs, via {@code --model}) can reuse it.
 * Run with {@code --add-modules jdk.incubator.vector}.
 */
public final class AssignBenchmark {

    /** Command-line settings; the defaults are the figures in docs/assignment.md. */
    public record Options(
            Path model,
            Path save,
            int rows,
            int dim,
            int concepts,
            double zipf,
            List<Integer> levels,
            int iterations,
            int threads,
            int queries,
            int batch,
            List<Integer> beams,
            String kernel,
            long seed) {

        public static Options defaults() {
            return new Options(
                    null,
                    null,
                    100_000,
                    768,
                    200,
                    1.0,
                    List.of(10_000, 1_000, 100),
                    5,
                    2,
                    4096,
                    64,
                    List.of(1, 2, 4, 8, 16, 32),
                    "auto",
                    1);
        }

        public static Options parse(String[] args) {
            Options d = defaults();
            Path model = d.model;
            Path save = d.save;
            int rows = d.rows;
            int dim = d.dim;
            int concepts = d.concepts;
            double zipf = d.zipf;
            List<Integer> levels = d.levels;
            int iterations = d.iterations;
            int threads = d.threads;
            int queries = d.queries;
            int batch = d.batch;
            List<Integer> beams = d.beams;
            String kernel = d.kernel;
            long seed = d.seed;
            for (int i = 0; i < args.length; i += 2) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new StrataException(flag + " needs a value");
                }
                String v = args[i + 1];
                switch (flag) {
                    case "--model" -> model = Path.of(v);
                    case "--save" -> save = Path.of(v);
                    case "--rows" -> rows = Integer.parseInt(v);
                    case "--dim" -> dim = Integer.parseInt(v);
                    case "--concepts" -> concepts = Integer.parseInt(v);
                    case "--zipf" -> zipf = Double.parseDouble(v);
                    case "--levels" -> levels = ints(v);
                    case "--iters" -> iterations = Integer.parseInt(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--queries" -> queries = Integer.parseInt(v);
                    case "--batch" -> batch = Integer.parseInt(v);
                    case "--beams" -> beams = ints(v);
                    case "--kernel" -> kernel = v;
                    case "--seed" -> seed = Long.parseLong(v);
                    default ->
                        throw new StrataException(
                                "unknown option " + flag + "; options: --model --save --rows --dim"
                                        + " --concepts --zipf --levels --iters --threads --queries --batch --beams --kernel --seed");
                }
            }
            return new Options(
                    model,
                    save,
                    rows,
                    dim,
                    concepts,
                    zipf,
                    levels,
                    iterations,
                    threads,
                    queries,
                    batch,
                    beams,
                    kernel,
                    seed);
        }

        private static List<Integer> ints(String csv) {
            List<Integer> out = new ArrayList<>();
            for (String s : csv.split(",")) {
                out.add(Integer.parseInt(s.trim()));
            }
            return out;
        }
    }

    private AssignBenchmark() {}

    public static void main(String[] args) {
        run(System.out, Options.parse(args));
    }

    public static void run(PrintStream out, Options o) {
        DotKernel kernel = Kernels.byName(o.kernel());
        // the held-out rows are the mixture's last rows: rows come in a seeded random order, so the
        // tail is a random draw from the same concepts, never seen by k-means
        GaussianMixture mixture =
                new GaussianMixture(o.rows() + o.queries(), o.dim(), o.concepts(), o.zipf(), o.seed());
        ClusterTree tree;
        if (o.model() != null && Files.exists(o.model())) {
            tree = ModelFile.read(o.model());
            out.printf(
                    Locale.ROOT,
                    "model %s (version %s), built on: %s%n",
                    o.model(),
                    tree.version(),
                    tree.params() == null ? "?" : tree.params().input());
            if (tree.dim() != o.dim()) {
                throw new StrataException("model has dim " + tree.dim() + ", benchmark mixture has " + o.dim()
                        + "; pass the --dim (and mixture options) the model was built with");
            }
        } else {
            tree = build(out, mixture, o, kernel);
            if (o.save() != null) {
                tree = ModelFile.write(tree, o.save());
                out.printf(Locale.ROOT, "model saved to %s (version %s)%n", o.save(), tree.version());
            }
        }
        describe(out, tree);
        FloatMatrix queries = FloatMatrix.zeros(o.queries(), o.dim());
        mixture.fillRows(o.rows(), o.queries(), queries.data(), 0);
        out.printf(
                Locale.ROOT,
                "%d held-out rows of %s, batches of %d, 1 thread, kernel %s, java %s%n",
                o.queries(),
                mixture,
                o.batch(),
                kernel.name(),
                System.getProperty("java.version"));
        RecallMeter meter = new RecallMeter(tree, queries, o.batch(), kernel);
        out.printf(Locale.ROOT, "%-8s %12s %9s %9s %15s%n", "assign", "rows/s", "vs exact", "recall", "centroids/row");
        out.printf(
                Locale.ROOT,
                "%-8s %12.0f %9s %9s %15d%n",
                "exact",
                meter.exactRowsPerSecond(),
                "1.0x",
                "1",
                tree.leaves().clusters());
        for (int beam : o.beams()) {
            RecallMeter.Result r = meter.measure(beam);
            out.printf(
                    Locale.ROOT,
                    "%-8s %12.0f %8.1fx %9.4f %15.0f%n",
                    "beam " + beam,
                    r.beamRowsPerSecond(),
                    r.beamRowsPerSecond() / r.exactRowsPerSecond(),
                    r.recall(),
                    r.centroidsPerRow());
        }
    }

    static ClusterTree build(PrintStream out, GaussianMixture mixture, Options o, DotKernel kernel) {
        FloatMatrix points = FloatMatrix.zeros(o.rows(), o.dim());
        mixture.fillRows(0, o.rows(), points.data(), 0);
        List<LevelSpec> specs = new ArrayList<>();
        for (int k : o.levels()) {
            specs.add(new LevelSpec(k, 0, 0));
        }
        String input = mixture + ", zipf " + o.zipf() + ", seed " + o.seed() + ", rows [0, " + o.rows() + ")";
        BuildParams params = new BuildParams(
                o.levels(),
                Collections.nCopies(o.levels().size(), 0),
                Collections.nCopies(o.levels().size(), 0),
                o.iterations(),
                0,
                Init.RANDOM.label(),
                Resampling.CLOSEST.label(),
                o.seed(),
                o.threads(),
                kernel.name(),
                o.rows(),
                input);
        out.printf(
                Locale.ROOT,
                "building levels %s on %s: random seeding, %d Lloyd iterations, no resampling, %d threads%n",
                o.levels(),
                input,
                o.iterations(),
                o.threads());
        long start = System.nanoTime();
        ClusterTree tree;
        try (KMeans km = new KMeans(kernel, o.threads(), Progress.silent())) {
            tree = new HierarchicalKMeans(km, Progress.silent())
                    .fit(
                            points,
                            specs,
                            new KMeansConfig(1, o.iterations(), 0, Init.RANDOM, Metric.L2, o.seed()),
                            Resampling.CLOSEST,
                            params);
        }
        out.printf(Locale.ROOT, "built in %.1f s%n", (System.nanoTime() - start) / 1e9);
        return tree;
    }

    /** Cluster counts and fan-out per level: the beam's cost per row follows the fan-out. */
    static void describe(PrintStream out, ClusterTree tree) {
        StringBuilder sb =
                new StringBuilder("tree: d=" + tree.dim() + ", " + tree.metric().label());
        for (int t = tree.depth(); t >= 1; t--) {
            sb.append(String.format(
                    Locale.ROOT, "; level %d: %d clusters", t, tree.level(t).clusters()));
            if (t >= 2) {
                int[][] children = tree.children(t);
                int max = 0;
                int empty = 0;
                for (int[] c : children) {
                    max = Math.max(max, c.length);
                    empty += c.length == 0 ? 1 : 0;
                }
                sb.append(String.format(
                        Locale.ROOT,
                        " (children per cluster: mean %.1f, max %d, %d childless)",
                        (double) tree.level(t - 1).clusters() / children.length,
                        max,
                        empty));
            }
        }
        out.println(sb);
    }
}
