package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.kafka.GroupProgress;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.progress.Progress;
import dev.strata.records.CuratedRecord;
import dev.strata.sampling.LeafStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded job whose V was told twice the stream, stopped once it has read everything: with
 * drain (Flink's {@code stop --drain}, {@code strata stop --savepoint --drain}) the input ends, so
 * adaptive admission tops every top cluster up from its reserves and the target is delivered;
 * without drain the stream has not ended, the reserves stay in the savepoint for a resumed job,
 * and what was paced for the told V is all that is out.
 */
@ExtendWith(SharedKafka.class)
class AdaptiveAdmissionDrainIT {
    private static final int N = 2000;

    @TempDir
    static Path dir;

    static JobFixture fx;

    @BeforeAll
    static void buildModel() {
        fx = new JobFixture(dir, N, 16, 13);
    }

    @Test
    void aStopWithDrainTopsUpToTheTargetAndOneWithoutLeavesItToTheResumedJob(LocalKafka kafka) throws Exception {
        long drained = curateAndStop(kafka, "drain", true);
        long kept = curateAndStop(kafka, "nodrain", false);
        long target = N / 10;
        assertTrue(drained >= 0.98 * target && drained <= target, "with drain: " + drained + " of " + target);
        assertTrue(kept < 0.8 * target, "without drain the pacing for 2x V alone: " + kept + " of " + target);
    }

    private long curateAndStop(LocalKafka kafka, String name, boolean drain) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, name + "-in", 2, Map.of());
        String out = KafkaTestSupport.newTopic(bs, name + "-curated", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, name + "-dlq", 1, Map.of());
        fx.produce(bs, in, 0, N, 5, 0);
        CurateConfig cfg = fx.config(bs, in, out, dlq, EmitMode.ADMISSION, LeafStrategy.RANDOM, N / 10, 2L * N, false);
        JobClient job = JobRuntime.startLocal(
                cfg, fx.tree.top().clusters(), 2, dir.resolve("cp-" + name).toString(), 500, 0);
        // the job commits its offsets on checkpoints: once they reach the end, every item was decided
        GroupProgress.awaitCaughtUp(bs, "it-" + out, in, Duration.ofMinutes(3), Progress.silent());
        job.stopWithSavepoint(drain, dir.resolve("sp-" + name).toUri().toString(), SavepointFormatType.CANONICAL)
                .get(3, TimeUnit.MINUTES);
        Set<String> ids = new HashSet<>();
        for (CuratedRecord c : JobFixture.curated(bs, out)) {
            assertTrue(ids.add(c.id()), "duplicate id " + c.id());
        }
        return ids.size();
    }
}
