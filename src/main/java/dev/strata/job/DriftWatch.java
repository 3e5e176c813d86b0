package dev.strata.job;

import dev.strata.sampling.DriftFigures;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The planners' drift gauges (how far the arrivals are from the model's pool) and the one warning
 * when the model should be rebuilt; docs/operations.md, "Adaptive quotas".
 */
final class DriftWatch {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaPlanner.class);

    private volatile double divergence;
    private volatile double distanceRatio = Double.NaN;
    private volatile int rebuild;

    DriftWatch(MetricGroup g) {
        g.gauge("arrivalShareDivergence", () -> divergence);
        g.gauge("leafDistanceRatio", () -> distanceRatio);
        g.gauge("rebuildRecommended", () -> rebuild);
    }

    /** Updates the gauges from the arrivals counted (per top cluster, and their summed leaf distance). */
    void update(TopPlanner planner, long[] seen, double distanceSqSum) {
        long total = 0;
        for (long s : seen) {
            total += s;
        }
        divergence = planner.divergence(seen);
        distanceRatio = planner.distanceRatio(distanceSqSum, total);
        boolean drifted = DriftFigures.rebuildRecommended(total, seen.length, divergence, distanceRatio);
        if (drifted && rebuild == 0) {
            LOG.warn(
                    "the stream has drifted from the model's pool: {} of the arrivals fall in other top clusters than "
                            + "the pool's shares say (total variation; warns above {}), and items lie {} times as far from "
                            + "their leaf centroid as the pool's did (warns above {}), over {} items; rebuild the model on "
                            + "recent data (docs/operations.md, \"Swap a model\")",
                    String.format("%.2f", divergence),
                    DriftFigures.REBUILD_DIVERGENCE,
                    String.format("%.2f", distanceRatio),
                    DriftFigures.REBUILD_DISTANCE_RATIO,
                    total);
        }
        rebuild = drifted ? 1 : 0;
    }
}
