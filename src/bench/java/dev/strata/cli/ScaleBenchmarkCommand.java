package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.io.EmbeddingShards;
import dev.strata.io.NpyWriter;
import dev.strata.progress.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The bootstrap beyond one Java array: generates a sharded pool of more than 2^31 floats (once;
 * later runs reuse it) and runs the real `bootstrap` command on it, then prints wall time, peak
 * resident memory and the passes over the data. Not part of the test run: it needs ~10 GB of
 * disk and of heap at its default size.
 */
@Command(
        name = "benchmark-scale",
        mixinStandardHelpOptions = true,
        description =
                "Bootstrap a sharded pool larger than 2^31 floats (generated once into --dir): wall time, "
                        + "peak RSS, passes over the data. Needs rows x dim x 4 bytes of disk and of heap (STRATA_JAVA_OPTS=-Xmx...).")
public final class ScaleBenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Folder for the shards (reused when they are there).")
    Path dir;

    @Option(names = "--rows", defaultValue = "2500000", description = "Rows. Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--dim", defaultValue = "1024", description = "Dimension. Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--shards", defaultValue = "10", description = "Shards (img_emb_N.npy). Default: ${DEFAULT-VALUE}.")
    int shards;

    @Option(
            names = "--concepts",
            defaultValue = "200",
            description = "Gaussian concepts the rows are drawn around. " + "Default: ${DEFAULT-VALUE}.")
    int concepts;

    @Option(names = "--levels", defaultValue = "100,10", description = "bootstrap --levels. Default: ${DEFAULT-VALUE}.")
    String levels;

    @Option(names = "--iters", defaultValue = "5", description = "bootstrap --iters. Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(
            names = "--resample-steps",
            defaultValue = "1",
            description = "bootstrap --resample-steps. Default: ${DEFAULT-VALUE}.")
    int resampleSteps;

    @Option(names = "--init", defaultValue = "random", description = "bootstrap --init. Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--work-dir", description = "bootstrap --work-dir (checkpoints).")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        long floats = (long) rows * dim;
        o.printf(
                Locale.ROOT,
                "pool: %,d x %d = %,d floats (%.2f x 2^31), %d shards in %s%n",
                rows,
                dim,
                floats,
                floats / (double) (1L << 31),
                shards,
                dir);
        long g0 = System.nanoTime();
        boolean generated = generate();
        double genSecs = (System.nanoTime() - g0) / 1e9;
        o.printf(
                Locale.ROOT,
                generated ? "generated in %.1f s%n" : "reused the shards there (%.1f s to check)%n",
                genSecs);
        o.flush();
        Path model = dir.resolve("scale.model");
        List<String> args = new ArrayList<>(List.of(
                "--input",
                dir.resolve("img_emb_*.npy").toString(),
                "--levels",
                levels,
                "--iters",
                Integer.toString(iters),
                "--resample-steps",
                Integer.toString(resampleSteps),
                "--init",
                init,
                "--out",
                model.toString()));
        if (workDir != null) {
            args.addAll(List.of("--work-dir", workDir.toString()));
        }
        long b0 = System.nanoTime();
        CommandLine boot = new CommandLine(new BootstrapCommand());
        boot.setOut(o);
        boot.setErr(spec.commandLine().getErr());
        boot.setExecutionExceptionHandler(spec.commandLine().getExecutionExceptionHandler());
        int exit = boot.execute(args.toArray(String[]::new));
        double secs = (System.nanoTime() - b0) / 1e9;
        if (exit != 0) {
            return exit;
        }
        o.printf(
                Locale.ROOT,
                "bootstrap wall time %.1f s; peak RSS %s; the shards were read once (memory-mapped, into "
                        + "the heap in chunks); the passes in memory are the 'distance computations' line above%n",
                secs,
                peakRss());
        o.flush();
        return 0;
    }

    /** Writes the shards unless they are all there with the right shape; returns whether it wrote. */
    private boolean generate() throws IOException {
        Files.createDirectories(dir);
        long perShard = (rows + shards - 1L) / shards;
        if (Files.exists(dir.resolve("img_emb_" + (shards - 1) + ".npy"))) {
            try {
                EmbeddingShards there = EmbeddingShards.open(dir.resolve("img_emb_*.npy"));
                if (there.rows() == rows && there.dim() == dim && there.shards().size() == shards) {
                    return false;
                }
            } catch (StrataException e) {
                // a half-written earlier run: write them again
            }
        }
        SplittableRandom rng = new SplittableRandom(42);
        float[][] centres = new float[concepts][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) rng.nextGaussian();
            }
        }
        // Zipf-like concept sizes: a long tail, as crawled data has
        double[] cumulative = new double[concepts];
        double sum = 0;
        for (int c = 0; c < concepts; c++) {
            sum += 1.0 / (c + 1);
            cumulative[c] = sum;
        }
        Progress progress = Progress.stderr();
        progress.start("generate", rows, "rows");
        int block = 4096;
        float[] buf = new float[block * dim];
        long written = 0;
        for (int s = 0; s < shards; s++) {
            int n = (int) Math.min(perShard, rows - written);
            try (NpyWriter.Float32Rows out = NpyWriter.openFloat32(dir.resolve("img_emb_" + s + ".npy"), n, dim)) {
                for (int r = 0; r < n; r += block) {
                    int m = Math.min(block, n - r);
                    for (int i = 0; i < m; i++) {
                        double u = rng.nextDouble() * sum;
                        int c = 0;
                        while (cumulative[c] < u) {
                            c++;
                        }
                        float[] centre = centres[c];
                        for (int j = 0; j < dim; j++) {
                            buf[i * dim + j] = centre[j] + 0.5f * (rng.nextFloat() - 0.5f);
                        }
                    }
                    out.write(buf, 0, m);
                    progress.advance(m);
                }
            }
            written += n;
        }
        progress.finish();
        return true;
    }

    /** VmHWM of this process (Linux), e.g. "11.2 GiB"; "unknown" elsewhere. */
    static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.2f GiB", kb / (1024.0 * 1024.0));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: say so rather than guess
        }
        return "unknown";
    }
}
