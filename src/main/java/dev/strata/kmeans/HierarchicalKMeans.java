package dev.strata.kmeans;

import dev.strata.StrataException;
import dev.strata.model.BuildParams;
import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.progress.Progress;
import dev.strata.random.SplitMix64;
import dev.strata.vector.FloatMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hierarchical k-means with resampling (Vo et al. 2024; docs/algorithm.md, section 3). Level 1 clusters
 * the points, level t > 1 clusters the centroids of level t - 1. A resampling step keeps s
 * members of every cluster, re-runs k-means on that union (seeded afresh) and re-assigns all
 * inputs of the level: dense regions then weigh no more than
 * sparse ones, and the centroids drift towards a uniform cover of the data's support.
 */
public final class HierarchicalKMeans {
    private final KMeans kmeans;
    private final Progress progress;

    public HierarchicalKMeans(KMeans kmeans, Progress progress) {
        this.kmeans = kmeans;
        this.progress = progress;
    }

    /**
     * @param base iterations, tolerance, init, metric and seed shared by all levels (k is per level)
     */
    public ClusterTree fit(
            FloatMatrix points, List<LevelSpec> levels, KMeansConfig base, Resampling mode, BuildParams params) {
        return fit(points, levels, base, mode, params, Checkpoints.none());
    }

    /**
     * The same, saving its state to {@code checkpoints} after every completed step and resuming
     * from the state saved there by an interrupted run of the same arguments: every step's
     * randomness comes from (seed, level, step), so the resumed run builds the same model.
     */
    public ClusterTree fit(
            FloatMatrix points,
            List<LevelSpec> levels,
            KMeansConfig base,
            Resampling mode,
            BuildParams params,
            Checkpoints checkpoints) {
        validate(points.rows(), levels);
        FloatMatrix input = points;
        if (base.metric() == Metric.COSINE) {
            input = points.copy();
            input.normalizeRows();
        }
        BuildClock clock = new BuildClock(points.rows(), levels, base.iterations());
        BuildState saved = checkpoints.load();
        long[] rowsBeneath = new long[input.rows()];
        Arrays.fill(rowsBeneath, 1);
        if (saved == null) {
            return fitLevels(
                    0,
                    input,
                    rowsBeneath,
                    Double.NaN,
                    new ArrayList<>(),
                    new ArrayList<>(),
                    new ArrayList<>(),
                    points.dim(),
                    levels,
                    base,
                    mode,
                    params,
                    checkpoints,
                    clock,
                    null);
        }
        int first = saved.level();
        if (first > 0) {
            input = saved.centroids().get(first - 1);
            rowsBeneath = saved.sizes().get(first - 1);
        }
        clock.resumedAt(first, saved.stepsDone(), saved.current() != null);
        progress.message("resuming from the checkpoint: level " + (first + 1)
                + (saved.current() == null
                        ? ", not started"
                        : ", after "
                                + (saved.stepsDone() == 0
                                        ? "its first clustering"
                                        : "resampling step " + saved.stepsDone()))
                + " (" + clock.describe() + ")");
        return fitLevels(
                first,
                input,
                rowsBeneath,
                saved.leafDistanceSq(),
                new ArrayList<>(saved.centroids()),
                new ArrayList<>(saved.assignments()),
                new ArrayList<>(saved.sizes()),
                points.dim(),
                levels,
                base,
                mode,
                params,
                checkpoints,
                clock,
                saved);
    }

    /**
     * Levels 2 and up over a level 1 built elsewhere (the Flink bootstrap builds it across
     * TaskManagers, dev.strata.bootstrap.flink): the same steps and seeds as {@link #fit}, so the
     * same level 1 gives the same tree.
     *
     * @param leafSizes      pool rows under each leaf
     * @param leafDistanceSq the pool's mean squared distance to its leaf centroid
     */
    public ClusterTree fitAbove(
            FloatMatrix leafCentroids,
            long[] leafSizes,
            double leafDistanceSq,
            List<LevelSpec> levels,
            KMeansConfig base,
            Resampling mode,
            BuildParams params) {
        if (levels.size() > 1 && levels.get(1).clusters() >= leafCentroids.rows()) {
            throw new StrataException("level 2 asks for " + levels.get(1).clusters() + " clusters but level 1 has only "
                    + leafCentroids.rows() + " (its splits left clusters empty); ask for fewer");
        }
        List<FloatMatrix> centroids = new ArrayList<>(List.of(leafCentroids));
        List<int[]> assignments = new ArrayList<>();
        assignments.add(new int[0]); // the rows' leaves: not part of the tree
        List<long[]> sizes = new ArrayList<>(List.of(leafSizes));
        long pool = Arrays.stream(leafSizes).sum();
        BuildClock clock = new BuildClock((int) Math.min(Integer.MAX_VALUE, pool), levels, base.iterations());
        clock.resumedAt(1, 0, false);
        return fitLevels(
                1,
                leafCentroids,
                leafSizes,
                leafDistanceSq,
                centroids,
                assignments,
                sizes,
                leafCentroids.dim(),
                levels,
                base,
                mode,
                params,
                Checkpoints.none(),
                clock,
                null);
    }

    /**
     * @param input       the inputs of level {@code first + 1} (rows, or the centroids of the level below)
     * @param rowsBeneath pool rows under each input
     * @param saved       the checkpoint resumed from (its level is {@code first}), or null
     */
    private ClusterTree fitLevels(
            int first,
            FloatMatrix input,
            long[] rowsBeneath,
            double leafDistanceSq,
            List<FloatMatrix> centroids,
            List<int[]> assignments,
            List<long[]> sizes,
            int dim,
            List<LevelSpec> levels,
            KMeansConfig base,
            Resampling mode,
            BuildParams params,
            Checkpoints checkpoints,
            BuildClock clock,
            BuildState saved) {
        for (int t = first; t < levels.size(); t++) {
            LevelSpec spec = levels.get(t);
            boolean resumed = saved != null && t == first && saved.current() != null;
            progress.context(clock.describe());
            progress.message("level " + (t + 1) + "/" + levels.size() + ": " + spec.clusters() + " clusters over "
                    + input.rows() + " vectors"
                    + (spec.resamples()
                            ? ", " + spec.resampleSteps() + " resampling steps of " + spec.sampleSize() + " per cluster"
                            : ""));
            KMeansConfig cfg = base.withK(spec.clusters()).withSeed(mix(base.seed(), t, 0));
            KMeansResult result;
            int s = spec.sampleSize();
            int firstStep = 1;
            if (resumed) {
                result = saved.current();
                s = saved.sampleSize();
                firstStep = saved.stepsDone() + 1;
            } else {
                result = spec.splits() > 1
                        ? twoStep(t, input, spec, cfg)
                        : splitHubs(t, "k-means", input, kmeans.fit(input, cfg), cfg);
                clock.stepDone(t, 0);
                checkpoints.save(new BuildState(centroids, assignments, sizes, t, result, 0, s, leafDistanceSq));
            }
            StepHealth health = StepHealth.of(
                    result.assignment(), rowsBeneath, result.centroids().rows());
            progress.message("level " + (t + 1) + ": k-means: " + health.describe() + "; " + clock.describe());
            int stepsRun = firstStep - 1;
            if (spec.resamples()) {
                int ruleOfThumb = LevelPlan.sampleSize(input.rows(), spec.clusters());
                for (int step = firstStep; step <= spec.resampleSteps(); step++) {
                    progress.context(clock.describe());
                    progress.message("level " + (t + 1) + ": resampling step " + step + "/" + spec.resampleSteps());
                    SplittableRandom rng = new SplittableRandom(mix(base.seed(), t, step));
                    KMeansResult next = splitHubs(
                            t,
                            "resampling step " + step,
                            input,
                            resample(input, result, spec.clusters(), s, mode, cfg, rng),
                            cfg);
                    StepHealth after = StepHealth.of(next.assignment(), rowsBeneath, spec.clusters());
                    if (after.collapsedFrom(health)) {
                        // measured (docs/algorithm.md, section 4): in high dimension a sample far below
                        // half the mean cluster size collapses a level; at that size it holds
                        if (s < ruleOfThumb) {
                            progress.message("level " + (t + 1) + ": resampling step " + step + " collapsed the level ("
                                    + after.describe() + ") with " + s + " per cluster; redone with " + ruleOfThumb
                                    + ", half the mean cluster size");
                            s = ruleOfThumb;
                            step--;
                            checkpoints.save(
                                    new BuildState(centroids, assignments, sizes, t, result, step, s, leafDistanceSq));
                        } else {
                            progress.message("level " + (t + 1) + ": resampling step " + step + " collapsed the level ("
                                    + after.describe()
                                    + "); keeping the clustering before it and ending this level's resampling");
                            break;
                        }
                        continue;
                    }
                    result = next;
                    health = after;
                    stepsRun = step;
                    clock.stepDone(t, step);
                    checkpoints.save(new BuildState(centroids, assignments, sizes, t, result, step, s, leafDistanceSq));
                    progress.message("level " + (t + 1) + ": resampling step " + step + ": " + health.describe() + "; "
                            + clock.describe());
                }
            }
            clock.levelDone(t, stepsRun);
            if (t + 1 < levels.size()
                    && levels.get(t + 1).clusters() >= result.centroids().rows()) {
                throw new StrataException(
                        "level " + (t + 2) + " asks for " + levels.get(t + 1).clusters()
                                + " clusters but level " + (t + 1) + " has only "
                                + result.centroids().rows()
                                + " (its splits left clusters empty); ask for fewer");
            }
            if (t == 0) {
                // the pool's mean distance to its leaf: the yardstick of the job's drift metric
                // (the level's distances are exact: Lloyd's and the re-assignment's searches are)
                leafDistanceSq = result.objective() / input.rows();
            }
            centroids.add(result.centroids());
            assignments.add(result.assignment());
            input = result.centroids();
            long[] next = new long[result.centroids().rows()];
            for (int i = 0; i < rowsBeneath.length; i++) {
                next[result.assignment()[i]] += rowsBeneath[i];
            }
            sizes.add(next);
            rowsBeneath = next;
            if (t + 1 < levels.size()) {
                checkpoints.save(new BuildState(centroids, assignments, sizes, t + 1, null, 0, 0, leafDistanceSq));
            }
        }
        progress.context("");
        return buildTree(base.metric(), dim, centroids, assignments, sizes, params)
                .withPoolLeafDistanceSq(leafDistanceSq);
    }

    /** The paper's two-step level: a k-means with clusters / splits clusters, each split by its own k-means. */
    private KMeansResult twoStep(int t, FloatMatrix input, LevelSpec spec, KMeansConfig cfg) {
        int coarseK = spec.clusters() / spec.splits();
        progress.message(
                "level " + (t + 1) + ": k-means with " + coarseK + " clusters, then each split into " + spec.splits());
        KMeansResult coarse = kmeans.fit(input, cfg.withK(coarseK));
        KMeansResult split =
                kmeans.splitter(progress).split(input, coarse, spec.splits(), cfg, c -> mix(cfg.seed(), t, -1 - c));
        progress.message("level " + (t + 1) + ": " + split.centroids().rows() + " clusters after splitting ("
                + (spec.clusters() - split.centroids().rows()) + " left empty and dropped)");
        return split;
    }

    /** Levels above the leaves cluster centroids, where hubs form (see {@link HubSplitter}). */
    private KMeansResult splitHubs(int level, String step, FloatMatrix input, KMeansResult result, KMeansConfig cfg) {
        if (level == 0) {
            return result;
        }
        HubSplitter.Outcome o = new HubSplitter(kmeans).split(input, result, cfg);
        if (o.splits() > 0) {
            progress.message("level " + (level + 1) + ": " + step + " put " + o.largestBefore() + " of " + input.rows()
                    + " inputs in one cluster; split " + o.splits() + " time(s) into empty or singleton clusters");
        }
        return o.result();
    }

    /**
     * One resampling step: s members per cluster, k-means seeded afresh on that sample (not
     * warm-started: a warm start keeps the dense regions' surplus of centroids; rings toy: 79 vs
     * 105 points of the smallest ring), every input re-assigned. A sample smaller than k (many
     * empty or one-member clusters) cannot be seeded with k centres; it is warm-started instead.
     */
    private KMeansResult resample(
            FloatMatrix input,
            KMeansResult current,
            int k,
            int s,
            Resampling mode,
            KMeansConfig cfg,
            SplittableRandom rng) {
        int[] sample = sample(current, s, mode, rng);
        FloatMatrix rows = input.selectRows(sample);
        KMeansResult onSample = rows.rows() >= k
                ? kmeans.fit(rows, cfg.withSeed(rng.nextLong()))
                : kmeans.fit(rows, cfg, current.centroids());
        return kmeans.reassign(input, onSample.centroids(), current);
    }

    private static void validate(int n, List<LevelSpec> levels) {
        if (levels.isEmpty()) {
            throw new StrataException("levels: at least one cluster count is needed");
        }
        int inputs = n;
        for (int t = 0; t < levels.size(); t++) {
            int k = levels.get(t).clusters();
            // a split level's k-means has clusters / splits clusters; its splits make at most the rest
            int firstStep = k / levels.get(t).splits();
            if (firstStep > inputs) {
                throw new StrataException(
                        "level " + (t + 1) + " asks for " + k + " clusters but has only " + inputs
                                + " inputs; each level needs fewer clusters than the one below (and level 1 fewer than the points)");
            }
            inputs = k;
        }
    }

    /** s members per cluster: the closest to the centroid, or uniform; all of them when fewer. */
    static int[] sample(KMeansResult result, int s, Resampling mode, SplittableRandom rng) {
        int k = result.centroids().rows();
        int[] assignment = result.assignment();
        float[] dist = result.distanceSq();
        Integer[][] members = new Integer[k][];
        int[] count = new int[k];
        for (int a : assignment) {
            count[a]++;
        }
        for (int c = 0; c < k; c++) {
            members[c] = new Integer[count[c]];
        }
        int[] fill = new int[k];
        for (int i = 0; i < assignment.length; i++) {
            members[assignment[i]][fill[assignment[i]]++] = i;
        }
        int[] out = new int[assignment.length];
        int size = 0;
        for (int c = 0; c < k; c++) {
            Integer[] m = members[c];
            int take = Math.min(s, m.length);
            if (mode == Resampling.CLOSEST) {
                // ties broken by row index so the sample is reproducible
                Arrays.sort(m, (a, b) -> dist[a] != dist[b] ? Float.compare(dist[a], dist[b]) : Integer.compare(a, b));
            } else {
                for (int i = 0; i < take; i++) {
                    int j = i + rng.nextInt(m.length - i);
                    Integer tmp = m[i];
                    m[i] = m[j];
                    m[j] = tmp;
                }
            }
            for (int i = 0; i < take; i++) {
                out[size++] = m[i];
            }
        }
        int[] sample = Arrays.copyOf(out, size);
        Arrays.sort(sample);
        return sample;
    }

    /** @param sizes pool rows under every cluster, per level */
    private static ClusterTree buildTree(
            Metric metric,
            int dim,
            List<FloatMatrix> centroids,
            List<int[]> assignments,
            List<long[]> sizes,
            BuildParams params) {
        int depth = centroids.size();
        List<ClusterLevel> levels = new ArrayList<>();
        for (int t = 0; t < depth; t++) {
            int[] parent;
            if (t + 1 < depth) {
                parent = assignments.get(t + 1).clone();
            } else {
                parent = new int[centroids.get(t).rows()];
                Arrays.fill(parent, -1);
            }
            levels.add(new ClusterLevel(centroids.get(t), parent, sizes.get(t)));
        }
        return new ClusterTree(metric, dim, levels, params, "");
    }

    /**
     * A seed per (level, step): SplitMix-style mixing keeps the streams independent. Public so a
     * level built elsewhere (the Flink bootstrap) draws the same seeds as this class.
     */
    public static long mix(long seed, int level, int step) {
        return SplitMix64.mix(seed + 0x9E3779B97F4A7C15L * (1 + level * 1_000_003L + step));
    }
}
