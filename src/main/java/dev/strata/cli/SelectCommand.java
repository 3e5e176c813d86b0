package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.io.EmbeddingShards;
import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.LeafStrategy;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "select",
        mixinStandardHelpOptions = true,
        description =
                "Select a balanced subset of a file of embeddings with a model; writes one 0-based row index per line.")
public final class SelectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model file from 'strata bootstrap'.")
    Path model;

    @Option(
            names = "--input",
            required = true,
            description = "Embeddings to select from: a .npy (float32/float16/float64) "
                    + "or .fvecs file, a folder of them, or a glob of shards (img_emb_*.npy), local or s3://, hdfs://; rows are "
                    + "numbered across shards in name order.")
    String input;

    @Option(names = "--target", required = true, description = "How many rows to select.")
    long target;

    @Option(
            names = "--strategy",
            defaultValue = "random",
            description = "Rows a leaf yields: random (default) or closest.")
    String strategy;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", description = "Worker threads. Default: all cores.")
    Integer threads;

    @Option(names = "--out", required = true, description = "Text file: selected row indices, ascending, one per line.")
    Path out;

    @Option(
            names = "--with-clusters",
            description = {
                "Tab-separated with a header line row, leaf, top, distance: each row's",
                "leaf and top cluster in the model and its distance to the leaf centroid (as in curated records)."
            })
    boolean withClusters;

    @Override
    public Integer call() {
        if (target < 0) {
            throw new StrataException("--target must be >= 0, got " + target);
        }
        LeafStrategy leafStrategy = LeafStrategy.parse(strategy);
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        ClusterTree tree = ModelFile.read(model);
        EmbeddingShards rows = EmbeddingShards.open(input);
        if (rows.dim() != tree.dim()) {
            throw new StrataException(input + ": dimension " + rows.dim() + " but the model " + model + " has "
                    + tree.dim() + "; select with the model bootstrapped on these embeddings");
        }
        Progress progress = Progress.stderr();
        progress.start("assigning rows to " + tree.leaves().clusters() + " leaves", rows.rows(), "rows");
        LeafAssignment assignment;
        try (NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), nThreads)) {
            assignment = BlockwiseAssignment.assign(rows, new ExactAssigner(tree, nearest), progress);
        }
        progress.finish();
        int[] selected =
                BalancedSelection.select(tree, assignment.leaf(), assignment.distanceSq(), target, leafStrategy, seed);
        int[] top = tree.topOfLeaves();
        write(selected, assignment, top);
        long[] before = new long[tree.top().clusters()];
        for (int leaf : assignment.leaf()) {
            before[top[leaf]]++;
        }
        long[] after = new long[tree.top().clusters()];
        for (int r : selected) {
            after[top[assignment.leaf()[r]]]++;
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "selected %d of %d rows into %s (%s, seed %d)%n",
                selected.length,
                assignment.leaf().length,
                out,
                leafStrategy.label(),
                seed);
        o.printf(
                Locale.ROOT,
                "balance over %d top clusters (normalised entropy): before %.3f, after %.3f%n",
                before.length,
                LevelStats.normalizedEntropy(before),
                LevelStats.normalizedEntropy(after));
        o.flush();
        return 0;
    }

    /** The header line of {@code --with-clusters}. */
    static final String CLUSTER_HEADER = "row\tleaf\ttop\tdistance";

    private void write(int[] selected, LeafAssignment assignment, int[] topOfLeaf) {
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(out)) {
                if (withClusters) {
                    w.write(CLUSTER_HEADER);
                    w.newLine();
                }
                for (int r : selected) {
                    w.write(Integer.toString(r));
                    if (withClusters) {
                        int leaf = assignment.leaf()[r];
                        // the curated records' distance: the root of the squared distance the
                        // assignment kept (clamped: ||x||^2 - 2x.c + ||c||^2 can round below zero)
                        float distance =
                                (float) Math.sqrt(Math.max(0f, assignment.distanceSq()[r]));
                        w.write("\t" + leaf + "\t" + topOfLeaf[leaf] + "\t" + distance);
                    }
                    w.newLine();
                }
            }
        } catch (IOException e) {
            throw new StrataException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }
}
