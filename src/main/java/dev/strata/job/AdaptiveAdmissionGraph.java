package dev.strata.job;

import dev.strata.sampling.CarryOver;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The adaptive admission part of the job graph (docs/architecture.md, "Adaptive quotas"):
 *
 * <pre>
 * assigned -> arrival counter (chained) -> quota planner (p=1) --broadcast plan--+
 * assigned -> keyBy(top) -----------------------------------------------------> adaptive admission
 *          -> target cap (p=1) -> curated; accepted per top as side output
 * </pre>
 *
 * The planner is fed from upstream of admission, so there is no feedback edge: Flink 2 has no
 * iterations, and a loop through a control topic would need its own transactions. What the
 * planner cannot know (what each top cluster accepted) the cap after admission enforces.
 */
final class AdaptiveAdmissionGraph {
    private AdaptiveAdmissionGraph() {}

    /** Adds the adaptive admission to {@code assigned}; returns the stream for the curated sink. */
    static SingleOutputStreamOperator<CuratedEvent> attach(
            SingleOutputStreamOperator<AssignedItem> assigned,
            CurateConfig cfg,
            int topClusters,
            long volume,
            long target,
            CarryOver carry) {
        if (cfg.windows() != null) {
            return attachWindowed(assigned, cfg, topClusters, target, carry);
        }
        long carriedKept = carry == null ? 0 : carry.keptTotal();
        DataStream<TopPlan> plans = assigned.transform(
                        "Arrivals per top",
                        TypeInformation.of(TopCounts.class),
                        new ArrivalCounter(topClusters, ArrivalCounter.flushEvery(volume)))
                .uid("arrivals")
                .keyBy(c -> 0, TypeInformation.of(Integer.class))
                .process(new QuotaPlanner(cfg), TypeInformation.of(TopPlan.class))
                .uid("quota-planner-" + cfg.modelVersion())
                .name("Quota planner")
                .setParallelism(1)
                .broadcast();
        // Flink's keyed broadcast operator, connected by hand (a broadcast partitioner on the plans)
        // so that it can be the subclass that sees the end of both inputs for the top-up
        return assigned.keyBy(item -> item.top, TypeInformation.of(Integer.class))
                .connect(plans)
                .transform(
                        "Adaptive admission",
                        TypeInformation.of(AdmittedItem.class),
                        new AdaptiveAdmissionOperator(new AdaptiveAdmissionFunction(cfg)))
                .uid(CurationJob.selectionUid(cfg))
                .keyBy(a -> 0, TypeInformation.of(Integer.class))
                .process(new TargetCap(target, carriedKept), TypeInformation.of(CuratedEvent.class))
                .uid("target-cap")
                .name("Target cap")
                .setParallelism(1);
    }

    /**
     * The same graph with budgets per window (docs/architecture.md, "Budgets per window"): arrivals
     * counted per window, one planner for every open window, admission keyed by (window, top
     * cluster) and a cap per window. Its own uids: none of its state fits the single horizon's.
     */
    private static SingleOutputStreamOperator<CuratedEvent> attachWindowed(
            SingleOutputStreamOperator<AssignedItem> assigned,
            CurateConfig cfg,
            int topClusters,
            long target,
            CarryOver carry) {
        QuotaWindows windows = cfg.windows();
        if (topClusters >= QuotaWindows.TOP_SLOTS) {
            throw new IllegalArgumentException("budgets per window take models with fewer than "
                    + QuotaWindows.TOP_SLOTS + " top clusters, this one has " + topClusters);
        }
        long flushVolume = cfg.expectedVolume() > 0 ? cfg.expectedVolume() : cfg.assumedWindowVolume();
        DataStream<TopPlan> plans = assigned.transform(
                        "Arrivals per top and window",
                        TypeInformation.of(TopCounts.class),
                        new ArrivalCounter(topClusters, ArrivalCounter.flushEvery(flushVolume), windows))
                .uid("arrivals-windowed")
                .keyBy(c -> 0, TypeInformation.of(Integer.class))
                .process(new WindowQuotaPlanner(cfg), TypeInformation.of(TopPlan.class))
                .uid("quota-planner-windowed-" + cfg.modelVersion())
                .name("Quota planner (per window)")
                .setParallelism(1)
                .broadcast();
        // connected by hand, as above, so that the operator can write the heap's counters back
        return assigned.keyBy(item -> windows.key(windows.start(item.timestamp), item.top), Types.LONG)
                .connect(plans)
                .transform(
                        "Adaptive admission (per window)",
                        TypeInformation.of(AdmittedItem.class),
                        new WindowedAdmissionOperator(new WindowedAdmissionFunction(cfg)))
                .uid(CurationJob.selectionUid(cfg))
                .keyBy(a -> a.window, Types.LONG)
                .process(
                        carry == null
                                ? new WindowTargetCap(target, windows)
                                : new WindowTargetCap(
                                        target, windows, carry.window().start(), carry.keptTotal()),
                        TypeInformation.of(CuratedEvent.class))
                .uid("target-cap-windowed")
                .name("Target cap (per window)")
                .setParallelism(1);
    }
}
