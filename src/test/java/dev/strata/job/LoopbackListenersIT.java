package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.ListeningSockets;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.sampling.LeafStrategy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * `strata curate` runs Flink inside its own JVM; nothing of it may listen beyond this machine
 * (dashboard, REST, RPC, blob server, data exchange).
 */
@ExtendWith(SharedKafka.class)
class LoopbackListenersIT {
    @TempDir
    static Path dir;

    @Test
    void anEmbeddedJobListensOnLoopbackOnly(LocalKafka kafka) throws Exception {
        JobFixture fx = new JobFixture(dir, 300, 8, 41);
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "lo-in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "lo-out", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "lo-dlq", 1, Map.of());
        CurateConfig cfg = fx.config(bs, in, out, dlq, EmitMode.ADMISSION, LeafStrategy.RANDOM, 10, 300, false);
        cfg = new CurateConfig(
                cfg.spec().with(Map.of("checkpointing.dir", dir.resolve("cp").toString())),
                cfg.modelVersion(),
                cfg.modelDim());
        JobClient job = JobRuntime.startLocal(cfg, fx.tree.top().clusters(), SharedKafka.freePort(), null);
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (job.getJobStatus().get() != JobStatus.RUNNING) {
                assertTrue(System.currentTimeMillis() < deadline, "the job did not start");
                Thread.sleep(200);
            }
            List<ListeningSockets.Socket> listening =
                    ListeningSockets.of(ProcessHandle.current().pid());
            assertFalse(
                    listening.isEmpty(), "the embedded Flink listens on nothing: the check would see nothing either");
            assertEquals(
                    List.of(),
                    listening.stream().filter(s -> !s.loopback()).toList(),
                    "listening beyond loopback; all: " + listening);
        } finally {
            job.cancel().get();
        }
    }
}
