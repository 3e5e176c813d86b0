package dev.strata.bootstrap.flink;

import dev.strata.kmeans.LevelSpec;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The bootstrap as one Flink job in BATCH mode (docs/architecture.md, "The bootstrap on a Flink
 * cluster"): the plan of level 1 is known before the job starts (a split level: one pass; a level
 * that resamples R times: R + 1 passes; a plain level: one pass), so every pass is a stage of one
 * job graph, chained through one-task steps whose output is broadcast to the next pass. One
 * {@code execute()}: what Flink's REST jar run (the session cluster, `strata submit`) and an
 * application cluster with HA (the Kubernetes operator) both accept.
 */
public final class BootstrapJob {
    private BootstrapJob() {}

    /** Passes over the full pool that level 1 takes: one, or one per resampling step plus the final assignment. */
    public static int passes(LevelSpec level) {
        return level.splits() == 1 && level.resamples() ? level.resampleSteps() + 1 : 1;
    }

    /**
     * @param rows        the pool's row count (read from its header by the caller)
     * @param parallelism tasks per pass
     */
    public static void build(
            StreamExecutionEnvironment env, ClusterBootstrapSpec spec, long rows, String inputName, int parallelism) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        List<LevelSpec> levels = spec.levelSpecs(rows);
        LevelSpec first = levels.get(0);
        int passes = passes(first);
        DataStream<Stage> stage = env.fromData(0)
                .name("Start")
                .setParallelism(1)
                .map(new InitialKMeans(spec, rows, passes))
                .name("Level 1: first k-means on a sample")
                .setParallelism(1);
        if (first.splits() > 1) {
            DataStream<SplitResult> parts = stage.broadcast()
                    .flatMap(new MemberScan(spec))
                    .name("Pass 1/1: rows to coarse clusters")
                    .setParallelism(parallelism)
                    .keyBy(m -> m.coarse, Types.INT)
                    .process(new SplitGroup(spec, first.splits()))
                    .name("Split each coarse cluster into " + first.splits())
                    .setParallelism(parallelism);
            stage = stage.keyBy(s -> 0, Types.INT)
                    .connect(parts.keyBy(p -> 0, Types.INT))
                    .process(new SplitCollect())
                    .name("Level 1 from the splits")
                    .setParallelism(1);
        } else {
            for (int pass = 1; pass <= passes; pass++) {
                String what = pass < passes
                        ? "keep " + first.sampleSize() + " per cluster for resampling step " + pass
                        : "sizes of the final clustering";
                DataStream<ClusterPartial> merged = stage.broadcast()
                        .flatMap(new AssignScan(spec))
                        .name("Pass " + pass + "/" + passes + ": rows to nearest centroid, " + what)
                        .setParallelism(parallelism)
                        .keyBy(p -> p.cluster, Types.INT)
                        .reduce(new PoolMerge(pass < passes ? first.sampleSize() : 0))
                        .name("Merge per cluster (pass " + pass + ")")
                        .setParallelism(parallelism);
                stage = stage.keyBy(s -> 0, Types.INT)
                        .connect(merged.keyBy(p -> 0, Types.INT))
                        .process(new LevelStep(spec, rows, passes))
                        .name(pass < passes ? "Resampling step " + pass : "Level 1 final")
                        .setParallelism(1);
            }
        }
        stage.map(new UpperLevels(spec, rows, inputName))
                .name("Upper levels, model file")
                .setParallelism(1)
                .sinkTo(new DiscardingSink<>())
                .name("Done")
                .setParallelism(1);
    }
}
