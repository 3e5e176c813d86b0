package dev.strata.bench;

import dev.strata.StrataException;
import dev.strata.io.NpyReader;
import dev.strata.kmeans.LevelSpec;
import dev.strata.model.ClusterTree;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.PaperMixture2d;
import dev.strata.synth.Rings;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Bootstrap quality and time, side by side with an independent implementation of the method run
 * as a separate process on the same files and seeds (docs/benchmarks.md, "Bootstrap quality against
 * the reference"). Both sides are scored by the same code here: the normalised entropy of the
 * selected rows' true labels, the KL of the top centroids to uniform on the 2-D mixture
 * ({@link GridKl}), and the share of rows under the largest top cluster.
 *
 * <p>The reference is any program that takes the arguments of {@code oracle.py curate} (levels,
 * sample sizes, steps, target, seed, {@code --out} selected rows as .npy, {@code --save-hierarchy}
 * per-level labels and centroids as .npz) and prints a JSON line with {@code hkmeans_s}. Without
 * one, only Strata's column is printed.
 */
public final class ReferenceComparison {

    /** One data set and its settings. */
    public record Case(String name, String metric, List<LevelSpec> levels, int target, SeedData data) {}

    public interface SeedData {
        SyntheticData generate(long seed);
    }

    /** One side's figures for one seed. */
    record Figures(double score, double topShare, double seconds, double distanceShare) {}

    private final PrintStream out;
    private final Path work;
    private final Path reference;
    private final DotKernel kernel = Kernels.fastest();
    private final int threads = Runtime.getRuntime().availableProcessors();

    public ReferenceComparison(PrintStream out, Path work, Path reference) {
        this.out = out;
        this.work = work;
        this.reference = reference;
    }

    public static List<Case> cases(boolean quick) {
        int n64 = quick ? 20_000 : 200_000;
        int n256 = quick ? 10_000 : 50_000;
        return List.of(
                new Case(
                        "zipf-64",
                        "entropy",
                        List.of(new LevelSpec(quick ? 100 : 1000, 15, 10), new LevelSpec(quick ? 30 : 300, 2, 10)),
                        quick ? 1000 : 10_000,
                        seed -> new GaussianMixture(n64, 64, 200, 1.0, 0L).generate()),
                new Case(
                        "rings",
                        "entropy",
                        List.of(new LevelSpec(1000, 15, 10), new LevelSpec(300, 2, 10)),
                        1000,
                        seed -> Rings.generate(Arrays.stream(Rings.paperSizes()).sum(), 0)),
                new Case(
                        "mixture-2d",
                        "kl",
                        List.of(new LevelSpec(3000, 2, 10), new LevelSpec(1000, 2, 10), new LevelSpec(300, 2, 10)),
                        300,
                        seed -> PaperMixture2d.generate(0)),
                new Case(
                        "zipf-256",
                        "entropy",
                        List.of(new LevelSpec(n256 / 200, 100, 10), new LevelSpec(n256 / 667, 2, 10)),
                        n256 / 20,
                        seed -> new GaussianMixture(n256, 256, 200, 1.0, 0L).generate()));
    }

    public void run(List<Case> cases, long[] seeds) {
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new StrataException("cannot create " + work + ": " + e.getMessage());
        }
        out.printf(
                Locale.ROOT,
                "kernel %s, %d threads; reference: %s%n",
                kernel.name(),
                threads,
                reference == null ? "none (pass --reference path/to/oracle.py)" : reference);
        for (Case c : cases) {
            String what = c.metric().equals("kl")
                    ? "KL(top centroids || uniform), lower is better"
                    : "normalised entropy of selected labels, higher is better";
            out.printf(
                    Locale.ROOT, "== %s: levels %s, target %d; %s%n", c.name(), describe(c.levels()), c.target(), what);
            out.printf(
                    Locale.ROOT,
                    "%4s %10s %10s %12s %12s %9s %9s %8s %7s%n",
                    "seed",
                    "strata",
                    "reference",
                    "strata top%",
                    "ref top%",
                    "strata s",
                    "ref s",
                    "s ratio",
                    "dist%");
            List<Figures> mine = new ArrayList<>();
            List<Figures> theirs = new ArrayList<>();
            for (long seed : seeds) {
                SyntheticData data = c.data().generate(seed);
                Figures s = strata(c, data, seed);
                Figures r = reference == null ? null : reference(c, data, seed);
                mine.add(s);
                if (r != null) {
                    theirs.add(r);
                }
                out.printf(
                        Locale.ROOT,
                        "%4d %10.4f %10s %12.1f %12s %9.1f %9s %8s %7.1f%n",
                        seed,
                        s.score(),
                        r == null ? "-" : String.format(Locale.ROOT, "%.4f", r.score()),
                        100 * s.topShare(),
                        r == null ? "-" : String.format(Locale.ROOT, "%.1f", 100 * r.topShare()),
                        s.seconds(),
                        r == null ? "-" : String.format(Locale.ROOT, "%.1f", r.seconds()),
                        r == null ? "-" : String.format(Locale.ROOT, "%.2f", s.seconds() / r.seconds()),
                        100 * s.distanceShare());
            }
            out.printf(
                    Locale.ROOT,
                    "%4s %10.4f %10s %12.1f %12s %9.1f %9s %8s %7.1f%n",
                    "mean",
                    mean(mine, Figures::score),
                    theirs.isEmpty() ? "-" : String.format(Locale.ROOT, "%.4f", mean(theirs, Figures::score)),
                    100 * mean(mine, Figures::topShare),
                    theirs.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", 100 * mean(theirs, Figures::topShare)),
                    mean(mine, Figures::seconds),
                    theirs.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", mean(theirs, Figures::seconds)),
                    theirs.isEmpty()
                            ? "-"
                            : String.format(
                                    Locale.ROOT, "%.2f", mean(mine, Figures::seconds) / mean(theirs, Figures::seconds)),
                    100 * mean(mine, Figures::distanceShare));
        }
    }

    private Figures strata(Case c, SyntheticData data, long seed) {
        long start = System.nanoTime();
        QualityCheck.Built built = QualityCheck.buildCounted(kernel, threads, data, c.levels(), seed);
        ClusterTree tree = built.tree();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] top = tree.top().size();
        double topShare =
                (double) Arrays.stream(top).max().orElse(0) / data.points().rows();
        if (c.metric().equals("kl")) {
            return new Figures(
                    GridKl.toUniform(tree.top().centroids(), QualityCheck.GRID),
                    topShare,
                    seconds,
                    built.distanceShare());
        }
        int[] selected = QualityCheck.select(kernel, threads, tree, data, c.target(), seed);
        return new Figures(labelEntropy(data.labels(), selected), topShare, seconds, built.distanceShare());
    }

    private Figures reference(Case c, SyntheticData data, long seed) {
        Path input = work.resolve(c.name() + ".npy");
        Path selected = work.resolve(c.name() + "-" + seed + ".ref.npy");
        Path hierarchy = work.resolve(c.name() + "-" + seed + ".ref.npz");
        if (!Files.exists(input)) {
            data.write(input);
        }
        List<String> cmd = new ArrayList<>(List.of(
                "python3",
                reference.toString(),
                "curate",
                "--input",
                input.toString(),
                "--levels",
                join(c.levels(), LevelSpec::clusters),
                "--sample-sizes",
                join(c.levels(), LevelSpec::sampleSize),
                "--resample-steps",
                String.valueOf(c.levels().get(0).resampleSteps()),
                "--iters",
                String.valueOf(QualityCheck.ITERATIONS),
                "--target",
                String.valueOf(c.target()),
                "--seed",
                String.valueOf(seed),
                "--out",
                selected.toString(),
                "--save-hierarchy",
                hierarchy.toString()));
        String stdout = runProcess(cmd);
        Matcher m = Pattern.compile("\"hkmeans_s\":\\s*([0-9.]+)").matcher(stdout);
        if (!m.find()) {
            throw new StrataException("the reference printed no hkmeans_s: " + stdout.strip());
        }
        double seconds = Double.parseDouble(m.group(1));
        int depth = c.levels().size();
        int[] rowsTop = NpyReader.readLabels(entry(hierarchy, "labels1"));
        for (int t = 2; t <= depth; t++) {
            int[] parent = NpyReader.readLabels(entry(hierarchy, "labels" + t));
            for (int i = 0; i < rowsTop.length; i++) {
                rowsTop[i] = parent[rowsTop[i]];
            }
        }
        long[] top = new long[c.levels().get(depth - 1).clusters()];
        for (int v : rowsTop) {
            top[v]++;
        }
        double topShare = (double) Arrays.stream(top).max().orElse(0) / rowsTop.length;
        if (c.metric().equals("kl")) {
            FloatMatrix centroids = NpyReader.read(entry(hierarchy, "centroids" + depth));
            return new Figures(GridKl.toUniform(centroids, QualityCheck.GRID), topShare, seconds, 1.0);
        }
        return new Figures(labelEntropy(data.labels(), NpyReader.readLabels(selected)), topShare, seconds, 1.0);
    }

    /** One array of an .npz (a zip of .npy files), copied out to read it with {@link NpyReader}. */
    private Path entry(Path npz, String name) {
        Path target = work.resolve(npz.getFileName() + "." + name + ".npy");
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            ZipEntry e = zip.getEntry(name + ".npy");
            if (e == null) {
                throw new StrataException(
                        npz + " has no " + name + ".npy; the reference must save per-level labels and centroids");
            }
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException ex) {
            throw new StrataException("cannot read " + npz + ": " + ex.getMessage());
        }
    }

    private static String runProcess(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            byte[] stdout = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
                throw new StrataException(
                        "the reference failed (exit " + p.exitValue() + "): " + String.join(" ", cmd));
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StrataException(
                    "cannot run the reference (" + e.getMessage() + "); is python3 with numpy installed?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException("interrupted while the reference ran");
        }
    }

    /** Entropy of the selected rows' labels over all labels present in the data, divided by its maximum. */
    static double labelEntropy(int[] labels, int[] selected) {
        int classes = Arrays.stream(labels).max().orElse(0) + 1;
        long[] count = new long[classes];
        for (int r : selected) {
            count[labels[r]]++;
        }
        double h = 0;
        for (long c : count) {
            if (c > 0) {
                double p = (double) c / selected.length;
                h -= p * Math.log(p);
            }
        }
        return classes < 2 ? 1 : h / Math.log(classes);
    }

    private static double mean(List<Figures> f, ToDoubleFunction<Figures> g) {
        return f.stream().mapToDouble(g).average().orElse(Double.NaN);
    }

    private static String describe(List<LevelSpec> levels) {
        return join(levels, LevelSpec::clusters) + " (samples " + join(levels, LevelSpec::sampleSize) + ", "
                + levels.get(0).resampleSteps() + " steps)";
    }

    private static String join(List<LevelSpec> levels, ToIntFunction<LevelSpec> f) {
        StringBuilder b = new StringBuilder();
        for (LevelSpec l : levels) {
            b.append(b.length() == 0 ? "" : ",").append(f.applyAsInt(l));
        }
        return b.toString();
    }
}
