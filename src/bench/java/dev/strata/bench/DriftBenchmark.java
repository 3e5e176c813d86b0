package dev.strata.bench;

import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssignment;
import dev.strata.job.TopAdmission;
import dev.strata.job.TopPlanner;
import dev.strata.kmeans.LevelPlan;
import dev.strata.kmeans.LevelSpec;
import dev.strata.model.ClusterTree;
import dev.strata.model.LevelStats;
import dev.strata.progress.Progress;
import dev.strata.random.SplitMix64;
import dev.strata.sampling.BalancedSelection;
import dev.strata.sampling.DriftFigures;
import dev.strata.sampling.LeafStrategy;
import dev.strata.sampling.StreamQuotas;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.SyntheticData;
import dev.strata.vector.DotKernel;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Admission on drifted streams, fixed plan against adaptive, next to the batch selection of the
 * same stream with the same model (what a curator knowing the whole stream in advance would
 * keep). One Zipf mixture of `generate gmm`: the model is bootstrapped on one half of its rows
 * (bootstrap's automatic levels and defaults), the streams come from the other half:
 * <ul>
 *   <li>parity: the other half as it is (the pool's proportions), V exact;</li>
 *   <li>re-weighted: the largest concepts keep only a few of their rows, V exact;</li>
 *   <li>unseen: as re-weighted, with a model built without 30% of the concepts; V exact, told
 *       twice too large, and half too small.</li>
 * </ul>
 * T is a tenth of the stream. Delivered/T and the normalised entropy over concepts of what is
 * kept; batch: {@code select --target T} on the stream's rows.
 */
public final class DriftBenchmark {
    private final PrintStream out;
    private final DotKernel kernel = Kernels.fastest();
    private final int threads;
    private final List<Integer> clusters;
    private final int replanDivisor;

    public DriftBenchmark(PrintStream out, int threads) {
        this(out, threads, List.of(), TopAdmission.REPLAN_DIVISOR);
    }

    /**
     * @param clusters      the models' levels, leaves first (empty: bootstrap's automatic levels)
     * @param replanDivisor adaptive admission re-plans a top cluster of L leaves every
     *                      max(1, L / this) arrivals ({@link TopAdmission}); a value above every L
     *                      re-plans on every item
     */
    public DriftBenchmark(PrintStream out, int threads, List<Integer> clusters, int replanDivisor) {
        this.out = out;
        this.threads = threads;
        this.clusters = List.copyOf(clusters);
        this.replanDivisor = replanDivisor;
    }

    /**
     * @param rows      mixture rows (half pool, half stream)
     * @param largest   concepts re-weighted (the largest ones)
     * @param keep      share of their rows they keep
     * @param unseen    share of concepts left out of the second model's pool
     */
    public void run(
            int rows,
            int dim,
            int concepts,
            double zipf,
            int largest,
            double keep,
            double unseen,
            long seed,
            int parallelism) {
        SyntheticData data = new GaussianMixture(rows, dim, concepts, zipf, seed).generate();
        int[] labels = data.labels();
        // the mixture's rows come in a seeded random order: even rows make the pool, odd ones the stream
        List<Integer> poolRows = new ArrayList<>();
        List<Integer> streamRows = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            (r % 2 == 0 ? poolRows : streamRows).add(r);
        }
        boolean[] left = leftOut(concepts, unseen, seed);
        List<Integer> poolSeen = new ArrayList<>();
        for (int r : poolRows) {
            if (!left[labels[r]]) {
                poolSeen.add(r);
            }
        }
        int[] reweighted = reweight(streamRows, labels, largest, keep, seed);
        int[] parity = shuffled(streamRows, seed);

        out.printf(
                Locale.ROOT,
                "mixture: %d rows, d=%d, %d concepts, zipf %.2f, seed %d; stream from the other half%n",
                rows,
                dim,
                concepts,
                zipf,
                seed);
        long t0 = System.nanoTime();
        ClusterTree full = build(data, poolRows, seed);
        ClusterTree partial = build(data, poolSeen, seed);
        out.printf(
                Locale.ROOT,
                "models: %s on %d pool rows, %s on %d rows without %d concepts (%.0f s)%n",
                full.levels().stream().map(l -> Integer.toString(l.clusters())).toList(),
                poolRows.size(),
                partial.levels().stream()
                        .map(l -> Integer.toString(l.clusters()))
                        .toList(),
                poolSeen.size(),
                count(left),
                (System.nanoTime() - t0) / 1e9);
        out.println();
        out.println(
                "| stream | V told / actual | T | fixed delivered/T | adaptive delivered/T | of which topped up | entropy fixed | "
                        + "entropy adaptive | entropy batch | adaptive - batch | plans (us each) | us/item fixed, adaptive | drift: top shares TV, distance ratio |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        row("parity", full, data, parity, 1.0, concepts, seed, parallelism);
        row("re-weighted", full, data, reweighted, 1.0, concepts, seed, parallelism);
        row("unseen 30%", partial, data, reweighted, 1.0, concepts, seed, parallelism);
        row("unseen 30%", partial, data, reweighted, 2.0, concepts, seed, parallelism);
        row("unseen 30%", partial, data, reweighted, 0.5, concepts, seed, parallelism);
    }

    private void row(
            String name,
            ClusterTree tree,
            SyntheticData data,
            int[] stream,
            double volumeFactor,
            int concepts,
            long seed,
            int parallelism) {
        LeafAssignment a;
        int[] rowsAll = new int[data.points().rows()];
        try (NearestCentroids nearest = new NearestCentroids(kernel, threads)) {
            a = new ExactAssigner(tree, nearest).assign(data.points().selectRows(stream), Progress.silent());
        }
        // leaves by mixture row, for the replay (rows outside the stream stay -1)
        Arrays.fill(rowsAll, -1);
        for (int k = 0; k < stream.length; k++) {
            rowsAll[stream[k]] = a.leaf()[k];
        }
        long target = stream.length / 10;
        long volume = Math.round(stream.length * volumeFactor);
        AdmissionReplay replay = new AdmissionReplay(tree, seed, parallelism, replanDivisor);
        AdmissionReplay.Result fixedRun = replay.fixed(stream, rowsAll, target, volume);
        List<Integer> fixed = fixedRun.rows();
        AdmissionReplay.Result adaptive = replay.adaptive(stream, rowsAll, target, volume);
        int[] batch = BalancedSelection.select(tree, a.leaf(), a.distanceSq(), target, LeafStrategy.RANDOM, seed);
        List<Integer> batchRows = new ArrayList<>();
        for (int k : batch) {
            batchRows.add(stream[k]);
        }
        TopPlanner planner = new TopPlanner(tree, StreamQuotas.of(tree, target, volume, seed), seed);
        long[] seenTop = new long[tree.top().clusters()];
        int[] topOf = tree.topOfLeaves();
        double distanceSum = 0;
        for (int k = 0; k < stream.length; k++) {
            seenTop[topOf[a.leaf()[k]]]++;
            distanceSum += a.distanceSq()[k];
        }
        double tv = planner.divergence(seenTop);
        double ratio = planner.distanceRatio(distanceSum, stream.length);
        String drift = String.format(
                Locale.ROOT,
                "%.2f, %.2f%s",
                tv,
                ratio,
                DriftFigures.rebuildRecommended(stream.length, seenTop.length, tv, ratio) ? " (rebuild)" : "");
        double hf = entropy(fixed, data.labels(), concepts);
        double ha = entropy(adaptive.rows(), data.labels(), concepts);
        double hb = entropy(batchRows, data.labels(), concepts);
        out.printf(
                Locale.ROOT,
                "| %s | %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %+.3f | %d (%.0f) | %.2f, %.2f | %s |%n",
                name,
                volumeFactor == 1.0 ? "exact" : String.format(Locale.ROOT, "%.1fx", volumeFactor),
                target,
                fixed.size() / (double) target,
                adaptive.rows().size() / (double) target,
                adaptive.toppedUp() / (double) target,
                hf,
                ha,
                hb,
                ha - hb,
                adaptive.plans(),
                adaptive.microsPerPlan(),
                fixedRun.microsPerItem(),
                adaptive.microsPerItem(),
                drift);
    }

    private ClusterTree build(SyntheticData data, List<Integer> rows, long seed) {
        int[] idx = rows.stream().mapToInt(Integer::intValue).toArray();
        SyntheticData pool = new SyntheticData(data.points().selectRows(idx), new int[idx.length]);
        List<LevelSpec> levels = new ArrayList<>();
        if (clusters.isEmpty()) {
            LevelPlan plan = LevelPlan.propose(idx.length);
            for (int t = 0; t < plan.clusters().size(); t++) {
                levels.add(
                        new LevelSpec(plan.clusters().get(t), plan.sampleSizes().get(t), 10));
            }
        } else {
            // given levels: the paper's sample size (half the mean cluster size) and 10 steps
            long below = idx.length;
            for (int k : clusters) {
                levels.add(new LevelSpec(k, (int) Math.max(1, below / k / 2), 10));
                below = k;
            }
        }
        return QualityCheck.build(kernel, threads, pool, levels, seed);
    }

    /** The largest concepts keep {@code keep} of their rows; the result in a seeded random order. */
    static int[] reweight(List<Integer> rows, int[] labels, int largest, double keep, long seed) {
        // generate gmm numbers concepts largest first
        List<Integer> kept = new ArrayList<>();
        for (int r : rows) {
            if (labels[r] >= largest || unit(seed ^ 0x5DEECE66DL, r) < keep) {
                kept.add(r);
            }
        }
        return shuffled(kept, seed);
    }

    /** A seeded choice of round(share * concepts) concepts, any size. */
    static boolean[] leftOut(int concepts, double share, long seed) {
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < concepts; i++) {
            c.add(i);
        }
        Collections.shuffle(c, new Random(seed + 17));
        boolean[] left = new boolean[concepts];
        for (int i = 0; i < Math.round(share * concepts); i++) {
            left[c.get(i)] = true;
        }
        return left;
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    private static int[] shuffled(List<Integer> rows, long seed) {
        List<Integer> copy = new ArrayList<>(rows);
        Collections.shuffle(copy, new Random(seed + 31));
        return copy.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double unit(long seed, int row) {
        return (SplitMix64.mix(seed + row) >>> 11) * 0x1.0p-53;
    }

    private static double entropy(List<Integer> rows, int[] labels, int concepts) {
        long[] per = new long[concepts];
        for (int r : rows) {
            per[labels[r]]++;
        }
        return LevelStats.normalizedEntropy(per);
    }
}
