package dev.strata.bootstrap.flink;

import dev.strata.kmeans.HierarchicalKMeans;
import dev.strata.kmeans.KMeans;
import dev.strata.kmeans.KMeansConfig;
import dev.strata.kmeans.KMeansResult;
import dev.strata.kmeans.LevelSpec;
import dev.strata.kmeans.StepHealth;
import dev.strata.progress.Progress;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After pass j of level 1 (one task; keyed by a constant so Flink fires its timer once both the
 * stage and every cluster's merged partial are in): the sizes of the clustering the pass scanned,
 * the collapse check of the resampling step that made it, and, while steps remain, the next
 * resampling step, a k-means on the kept rows (k x s rows: it fits one task). The steps and seeds
 * are those of `strata bootstrap` (HierarchicalKMeans), so the same pool gives the same level().
 * One difference: a step that collapses the level ends the level's resampling here, where the
 * local run first retries it with a larger sample when the sample was small (that retry needs
 * another pass, which a plan fixed before the job starts does not have).
 */
final class LevelStep extends KeyedCoProcessFunction<Integer, Stage, ClusterPartial, Stage> {
    private static final Logger LOG = LoggerFactory.getLogger(LevelStep.class);

    private final ClusterBootstrapSpec spec;
    /** The pool's rows: level 1's settings are derived from them (LevelSpec itself is not serializable). */
    private final long rows;

    private final int passes;
    private transient Stage stage;
    private transient List<ClusterPartial> partials;

    LevelStep(ClusterBootstrapSpec spec, long rows, int passes) {
        this.spec = spec;
        this.rows = rows;
        this.passes = passes;
    }

    @Override
    public void processElement1(Stage s, Context ctx, Collector<Stage> out) {
        stage = s;
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void processElement2(ClusterPartial p, Context ctx, Collector<Stage> out) {
        if (partials == null) {
            partials = new ArrayList<>();
        }
        partials.add(p);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Stage> out) {
        Stage in = stage;
        List<ClusterPartial> got = partials == null ? List.of() : partials;
        stage = null;
        partials = null;
        if (in.result != null) {
            out.collect(in);
            return;
        }
        long[] sizes = new long[in.k];
        double distanceSum = 0;
        List<PoolMember> kept = new ArrayList<>();
        for (ClusterPartial p : got) {
            sizes[p.cluster] = p.count;
            distanceSum += p.distanceSum;
            kept.addAll(p.members);
        }
        StepHealth health = StepHealth.ofSizes(sizes);
        int step = in.pass - 1; // the resampling step that made these centroids (0: the first k-means)
        if (step > 0 && health.collapsedFrom(StepHealth.ofSizes(in.acceptedSizes))) {
            LOG.warn(
                    "level 1: resampling step {} collapsed the level ({}); keeping the clustering before it and ending "
                            + "this level's resampling",
                    step,
                    health.describe());
            out.collect(finished(in, in.acceptedCentroids, in.acceptedSizes, in.acceptedDistanceSum));
            return;
        }
        LOG.info("level 1: {}: {}", step == 0 ? "k-means" : "resampling step " + step, health.describe());
        if (in.pass >= passes) {
            out.collect(finished(in, in.centroids, sizes, distanceSum));
            return;
        }
        // resampling step in.pass: a k-means seeded afresh on the kept rows, in row order
        kept.sort((a, b) -> Long.compare(a.row, b.row));
        FloatMatrix rows = FloatMatrix.zeros(kept.size(), in.dim);
        for (int i = 0; i < kept.size(); i++) {
            rows.setRow(i, kept.get(i).vector);
        }
        KMeansConfig cfg = spec.base().withK(level().clusters()).withSeed(HierarchicalKMeans.mix(spec.seed, 0, 0));
        SplittableRandom rng = new SplittableRandom(HierarchicalKMeans.mix(spec.seed, 0, in.pass));
        KMeansResult onSample;
        try (KMeans kmeans = new KMeans(
                Kernels.fastest(), spec.threadsOr(Runtime.getRuntime().availableProcessors()), Progress.silent())) {
            onSample = rows.rows() >= level().clusters()
                    ? kmeans.fit(rows, cfg.withSeed(rng.nextLong()))
                    : kmeans.fit(rows, cfg, in.matrix());
        }
        Stage next = new Stage();
        next.pass = in.pass + 1;
        next.k = onSample.centroids().rows();
        next.dim = in.dim;
        next.centroids = onSample.centroids().data();
        next.poolSize = next.pass < passes ? level().sampleSize() : 0;
        next.exactDistances = false; // a re-assignment's distances, as the local run ranks them
        next.acceptedCentroids = in.centroids;
        next.acceptedSizes = sizes;
        next.acceptedDistanceSum = distanceSum;
        out.collect(next);
    }

    private static Stage finished(Stage in, float[] centroids, long[] sizes, double distanceSum) {
        Stage done = new Stage();
        done.pass = in.pass;
        done.k = in.k;
        done.dim = in.dim;
        done.result = LevelOne.of(new FloatMatrix(centroids, sizes.length, in.dim), sizes, distanceSum);
        return done;
    }

    private LevelSpec level() {
        return spec.levelSpecs(rows).get(0);
    }
}
