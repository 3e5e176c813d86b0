package dev.strata.job;

import org.apache.flink.api.common.typeinfo.TypeInformation;
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
            long carriedKept) {
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
}
