package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.io.EmbeddingFiles;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.report.BalanceReport;
import dev.strata.report.ReportPage;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write a self-contained HTML page (inline SVG, nothing fetched) that shows a model's balance:",
            "cluster sizes per level (log-log), the top clusters' shares before and after a selection, and a 2-D",
            "map of the top centroids (PCA)."
        })
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model file from 'strata bootstrap'.")
    Path model;

    @Option(
            names = "--input",
            description = "Embeddings (.npy or .fvecs): 'before' counts its rows per top cluster "
                    + "(default: the model's pool sizes).")
    Path input;

    @Option(
            names = "--selection",
            paramLabel = "keep.txt",
            description = "Rows of --input that 'strata select' kept: 'after' counts them per top cluster.")
    Path selection;

    @Option(names = "--threads", description = "Worker threads for assigning --input. Default: all cores.")
    Integer threads;

    @Option(names = "--out", required = true, paramLabel = "report.html", description = "The page to write (replaced).")
    Path out;

    @Override
    public Integer call() {
        if (selection != null && input == null) {
            throw new StrataException("--selection holds row indices of an input file; pass that file with --input");
        }
        ClusterTree tree = ModelFile.read(model);
        long[] before = null;
        long[] after = null;
        if (input != null) {
            FloatMatrix rows = EmbeddingFiles.read(input);
            int[] selected = selection == null ? null : SelectionFile.read(selection, rows.rows(), input);
            int[] leaf = assign(tree, rows);
            int[] top = tree.topOfLeaves();
            before = new long[tree.top().clusters()];
            for (int l : leaf) {
                before[top[l]]++;
            }
            if (selected != null) {
                after = new long[tree.top().clusters()];
                for (int r : selected) {
                    after[top[leaf[r]]]++;
                }
            }
        }
        BalanceReport report = BalanceReport.of(
                tree,
                model.getFileName().toString(),
                before,
                input == null ? null : input.getFileName().toString(),
                after,
                selection == null ? null : selection.getFileName().toString());
        try {
            ReportPage.write(report, out);
        } catch (IOException e) {
            throw new StrataException(
                    "cannot write " + out + " (" + e.getMessage() + "); check the folder and free space", e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "wrote %s: %d levels, %d top clusters; balance over top clusters (normalised entropy) %s %.3f%s%n",
                out,
                tree.depth(),
                tree.top().clusters(),
                report.beforeLabel(),
                report.entropyBefore(),
                after == null
                        ? ""
                        : String.format(Locale.ROOT, ", %s %.3f", report.afterLabel(), report.entropyAfter()));
        o.flush();
        return 0;
    }

    private int[] assign(ClusterTree tree, FloatMatrix rows) {
        if (rows.dim() != tree.dim()) {
            throw new StrataException(input + " has dimension " + rows.dim() + ", the model " + tree.dim()
                    + "; pass the embeddings the model was built for");
        }
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Progress progress = Progress.stderr();
        progress.start("assigning rows to " + tree.leaves().clusters() + " leaves", rows.rows(), "rows");
        LeafAssignment a;
        try (NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), nThreads)) {
            a = new ExactAssigner(tree, nearest).assign(rows, progress);
        }
        progress.finish();
        return a.leaf();
    }
}
