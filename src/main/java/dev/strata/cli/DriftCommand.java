package dev.strata.cli;

import dev.strata.StrataException;
import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.io.EmbeddingShards;
import dev.strata.kafka.KafkaConnection;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.sampling.DriftFigures;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The drift figures of the job's quota planner (its {@code arrivalShareDivergence},
 * {@code leafDistanceRatio} and {@code rebuildRecommended} metrics), computed offline for a file
 * or a range of the input topic: before a run, to see whether a model still fits what the
 * crawlers send; after one, to see which top clusters moved.
 */
@Command(
        name = "drift",
        mixinStandardHelpOptions = true,
        description = {
            "How far embeddings are from the pool a model was built on: the share of rows per top cluster against the "
                    + "pool's (total variation), their distance to their leaf centroid against the pool's, and whether the "
                    + "model should be rebuilt, with the same figures and thresholds as the job's drift metrics.",
            "Input: a file, folder or glob of shards (--input), or a range of a Kafka topic (--input-topic)."
        })
public final class DriftCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model file from 'strata bootstrap'.")
    Path model;

    @Option(
            names = "--input",
            description = "Embeddings: a .npy (float32/float16/float64) or .fvecs file, a folder of them, or a glob "
                    + "of shards, local or s3://, hdfs://.")
    String input;

    @Mixin
    TopicRangeOptions topicInput = new TopicRangeOptions();

    @Option(
            names = "--show",
            defaultValue = "10",
            description = "Top clusters listed, those whose share moved most first. Default: ${DEFAULT-VALUE}.")
    int show;

    @Option(
            names = "--out",
            description = "Also write every top cluster's figures here, tab-separated with a header line: "
                    + "top, pool_rows, rows, pool_share, share.")
    Path out;

    @Option(names = "--threads", description = "Worker threads. Default: all cores.")
    Integer threads;

    @Override
    public Integer call() {
        if ((input == null) == (topicInput.topic == null)) {
            throw new StrataException("give the embeddings with --input FILE or --input-topic TOPIC (one of them)");
        }
        if (input != null && topicInput.anyRange()) {
            throw new StrataException("--records, --from-offset, --until-offset, --from and --until go with "
                    + "--input-topic, not --input");
        }
        if (show < 0) {
            throw new StrataException("--show must be >= 0, got " + show);
        }
        ClusterTree tree = ModelFile.read(model);
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        LeafAssignment assignment = assign(tree, nThreads);
        Figures f = Figures.of(tree, assignment);
        print(f, tree);
        if (out != null) {
            write(f);
        }
        return 0;
    }

    private LeafAssignment assign(ClusterTree tree, int nThreads) {
        Progress progress = Progress.stderr();
        try (NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), nThreads)) {
            ExactAssigner assigner = new ExactAssigner(tree, nearest);
            if (input != null) {
                EmbeddingShards rows = EmbeddingShards.open(input);
                checkDim(rows.dim(), tree, input);
                progress.start("assigning rows to " + tree.leaves().clusters() + " leaves", rows.rows(), "rows");
                LeafAssignment a = BlockwiseAssignment.assign(rows, assigner, progress);
                progress.finish();
                return a;
            }
            KafkaConnection kafka = topicInput.kafkaConfig.connection(topicInput.bootstrapServers);
            TopicPool.Pool pool = TopicPool.read(kafka, topicInput.topic, topicInput.range(), progress);
            if (!pool.skipped().isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("skipped records the job would dead-letter: " + pool.describeSkipped());
            }
            checkDim(pool.rows().dim(), tree, "topic '" + topicInput.topic + "'");
            return assigner.assign(pool.rows(), progress);
        }
    }

    private void checkDim(int dim, ClusterTree tree, String what) {
        if (dim != tree.dim()) {
            throw new StrataException(what + ": dimension " + dim + " but the model " + model + " has " + tree.dim()
                    + "; compare with the model bootstrapped on these embeddings");
        }
    }

    /** Rows and pool rows per top cluster (and the pool's total), and the job's drift figures over them. */
    record Figures(
            long[] rows,
            long[] pool,
            long total,
            long poolTotal,
            double divergence,
            double distanceRatio,
            boolean rebuild) {
        static Figures of(ClusterTree tree, LeafAssignment a) {
            int[] topOf = tree.topOfLeaves();
            long[] rows = new long[tree.top().clusters()];
            double distanceSq = 0;
            for (int r = 0; r < a.leaf().length; r++) {
                rows[topOf[a.leaf()[r]]]++;
                distanceSq += Math.max(0f, a.distanceSq()[r]);
            }
            long[] pool = tree.top().size();
            long poolTotal = 0;
            for (long p : pool) {
                poolTotal += p;
            }
            long total = a.leaf().length;
            double divergence = DriftFigures.totalVariation(rows, pool);
            double ratio = DriftFigures.distanceRatio(distanceSq, total, tree.poolLeafDistanceSq());
            return new Figures(
                    rows,
                    pool,
                    total,
                    poolTotal,
                    divergence,
                    ratio,
                    DriftFigures.rebuildRecommended(total, rows.length, divergence, ratio));
        }

        double share(int top) {
            return total == 0 ? 0 : (double) rows[top] / total;
        }

        double poolShare(int top) {
            return poolTotal == 0 ? 0 : (double) pool[top] / poolTotal;
        }
    }

    private void print(Figures f, ClusterTree tree) {
        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                Locale.ROOT,
                "%d rows against model %s (%d top clusters, %d leaves)%n",
                f.total(),
                tree.version(),
                f.rows().length,
                tree.leaves().clusters());
        o.printf(
                Locale.ROOT,
                "rows per top cluster against the pool's shares: total variation %.3f (0 = the pool's proportions, "
                        + "1 = disjoint; rebuild above %.2f)%n",
                f.divergence(),
                DriftFigures.REBUILD_DIVERGENCE);
        if (Double.isNaN(f.distanceRatio())) {
            o.println("distance to the leaf centroid: not known (the model does not record its pool's; "
                    + "bootstrap it again to have it)");
        } else {
            o.printf(
                    Locale.ROOT,
                    "distance to the leaf centroid: %.2fx the pool's (mean squared; unseen concepts land far from "
                            + "every leaf; rebuild above %.1f)%n",
                    f.distanceRatio(),
                    DriftFigures.REBUILD_DISTANCE_RATIO);
        }
        long needed = DriftFigures.MIN_ITEMS_PER_TOP * f.rows().length;
        if (f.rebuild()) {
            o.println("verdict: rebuild the model on recent data (docs/operations.md, \"Swap a model\"): the job would "
                    + "warn and set rebuildRecommended to 1");
        } else if (f.total() < needed) {
            o.printf(
                    Locale.ROOT,
                    "verdict: too few rows to judge (%d; the job judges from %d, %d per top cluster)%n",
                    f.total(),
                    needed,
                    DriftFigures.MIN_ITEMS_PER_TOP);
        } else {
            o.println("verdict: the model still describes these embeddings");
        }
        if (show > 0 && f.total() > 0) {
            o.println();
            o.println("| top cluster | pool share | share | share / pool share |");
            o.println("|---:|---:|---:|---:|");
            IntStream.range(0, f.rows().length)
                    .boxed()
                    .sorted(Comparator.comparingDouble((Integer t) -> -Math.abs(f.share(t) - f.poolShare(t)))
                            .thenComparing(t -> t))
                    .limit(show)
                    .forEach(t -> o.printf(
                            Locale.ROOT,
                            "| %d | %.4f | %.4f | %s |%n",
                            t,
                            f.poolShare(t),
                            f.share(t),
                            f.poolShare(t) == 0
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.2f", f.share(t) / f.poolShare(t))));
        }
        o.flush();
    }

    private void write(Figures f) {
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(out)) {
                w.write("top\tpool_rows\trows\tpool_share\tshare");
                w.newLine();
                for (int t = 0; t < f.rows().length; t++) {
                    w.write(String.format(
                            Locale.ROOT,
                            "%d\t%d\t%d\t%.6f\t%.6f",
                            t,
                            f.pool()[t],
                            f.rows()[t],
                            f.poolShare(t),
                            f.share(t)));
                    w.newLine();
                }
            }
        } catch (IOException e) {
            throw new StrataException("cannot write " + out + ": " + e.getMessage() + "; check the path");
        }
    }
}
