package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.io.EmbeddingFiles;
import dev.strata.model.BuildParams;
import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import dev.strata.model.ModelFile;
import dev.strata.model.ModelNpz;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description =
                "Summarise a model: levels, cluster sizes, balance; optionally export one level's centroids or the whole tree (.npz).")
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model file.")
    Path model;

    @Option(names = "--centroids", description = "Export the centroids of this level (1 = leaves) as float32 .npy.")
    Integer level;

    @Option(names = "--out", description = "Where --centroids writes (.npy).")
    Path out;

    @Option(
            names = "--export",
            paramLabel = "FILE.npz",
            description = {
                "Write the whole tree for numpy.load: per level L (1 = leaves) level{L}_centroids (k x d float32),",
                "level{L}_parent (int64, -1 on the top level) and level{L}_size (int64 pool rows per cluster)."
            })
    Path export;

    @Override
    public Integer call() {
        if ((level == null) != (out == null)) {
            throw new StrataException("--centroids LEVEL and --out FILE.npy go together");
        }
        if (export != null
                && !export.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz")) {
            throw new StrataException(
                    "--export writes a .npz file (what numpy.load opens); name it FILE.npz, got " + export);
        }
        ClusterTree tree = ModelFile.read(model);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "model %s: version %s, metric %s, dim %d, %d levels%n",
                model,
                tree.version(),
                tree.metric().label(),
                tree.dim(),
                tree.depth());
        BuildParams p = tree.params();
        if (p != null) {
            o.printf(
                    Locale.ROOT,
                    "built from %s (%d points): clusters %s, sample sizes %s, resampling steps %s (%s), "
                            + "%d iterations, init %s, seed %d, %d threads, kernel %s%s%n",
                    p.input(),
                    p.points(),
                    p.clusters(),
                    p.sampleSizes(),
                    p.resampleSteps(),
                    p.resampling(),
                    p.iterations(),
                    p.init(),
                    p.seed(),
                    p.threads(),
                    p.kernel(),
                    p.splits() == null ? "" : ", splits " + p.splits());
        }
        o.println(
                Double.isFinite(tree.poolLeafDistanceSq())
                        ? String.format(
                                Locale.ROOT,
                                "pool's mean squared distance to its leaf centroid: %.6g (the streaming job's "
                                        + "leafDistanceRatio compares arrivals with it)",
                                tree.poolLeafDistanceSq())
                        : "pool's mean squared distance to its leaf centroid: not recorded (a model from before it was; rebuild "
                                + "it for the job's leafDistanceRatio drift metric)");
        List<String> collapsed = new ArrayList<>();
        for (int t = 1; t <= tree.depth(); t++) {
            LevelStats stats = LevelStats.of(t, tree.level(t).size());
            String verdict = stats.verdict();
            o.println("  " + stats.describe() + (verdict == null ? "" : "  [" + verdict + "]"));
            if (stats.collapsed()) {
                collapsed.add("level " + t + " " + verdict);
            }
        }
        long[] top = tree.top().size();
        o.printf(
                Locale.ROOT,
                "top level balance: normalised entropy %.3f over %d clusters (1.000 = equal sizes); "
                        + "largest/smallest non-empty = %s%n",
                LevelStats.normalizedEntropy(top),
                top.length,
                ratio(top));
        o.println(
                collapsed.isEmpty()
                        ? "health: healthy: no level has over half its points in one cluster or over half its clusters empty or singleton"
                        : "health: NOT healthy: " + String.join("; ", collapsed)
                                + ". Selection still works, but that level no longer "
                                + "spreads over the data's concepts; rebuild with larger --sample-sizes (half the mean cluster size, "
                                + "the default) or fewer clusters at that level (docs/algorithm.md, section 4)");
        if (level != null) {
            if (level < 1 || level > tree.depth()) {
                throw new StrataException("--centroids " + level + " is not a level of this model; use 1 (leaves) to "
                        + tree.depth() + " (top)");
            }
            EmbeddingFiles.write(out, tree.level(level).centroids());
            o.printf(
                    Locale.ROOT,
                    "wrote %d centroids of level %d to %s%n",
                    tree.level(level).clusters(),
                    level,
                    out);
        }
        if (export != null) {
            ModelNpz.write(tree, export);
            o.printf(
                    Locale.ROOT,
                    "wrote %d levels (centroids, parent, size) to %s; in Python: "
                            + "m = numpy.load('%s'); m['level1_centroids']%n",
                    tree.depth(),
                    export,
                    export.getFileName());
        }
        o.flush();
        return 0;
    }

    private static String ratio(long[] sizes) {
        long[] r = LevelStats.nonEmptyRange(sizes);
        return r == null ? "n/a" : String.format(Locale.ROOT, "%.1f", (double) r[1] / r[0]);
    }
}
