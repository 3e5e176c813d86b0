package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.kafka.GroupProgress;
import dev.strata.kafka.KafkaConnection;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.sampling.LeafStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run stopped with a savepoint before its first checkpoint commits its curated output but no
 * source offsets: a fresh start on its consumer group must still be refused (its quotas live in
 * the savepoint), on the real broker with a real job (MiniCluster, exactly-once sinks).
 */
@ExtendWith(SharedKafka.class)
class SavepointOnlyRunIT {
    @TempDir
    static Path dir;

    @Test
    void aGroupWhoseRunOnlyCompletedASavepointIsNotStartedAfresh(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        JobFixture fx = new JobFixture(dir, 600, 8, 5);
        String in = KafkaTestSupport.newTopic(bs, "sp-only-in", 2, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "sp-only-curated", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "sp-only-dlq", 1, Map.of());
        fx.produce(bs, in, 0, fx.n, 1, 0);
        CurateConfig cfg = fx.config(bs, in, out, dlq, EmitMode.ADMISSION, LeafStrategy.RANDOM, 60, fx.n, false);
        KafkaConnection conn = KafkaConnection.plain(bs);
        assertDoesNotThrow(
                () -> GroupProgress.refuseResumedGroup(conn, cfg.groupId(), in, cfg.transactionalIdPrefix()),
                "a group that never ran starts afresh");

        // no periodic checkpoint within the test (5 min): the savepoint is the run's only completed one
        JobClient job = JobRuntime.startLocal(
                cfg, fx.tree.top().clusters(), 1, dir.resolve("cp").toUri().toString(), 300_000, 0);
        awaitUncommittedOutput(bs, out);
        job.stopWithSavepoint(false, dir.resolve("sp").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        assertFalse(KafkaTestSupport.readAll(bs, out).isEmpty(), "the savepoint committed the curated output");
        // the premise of the refusal below: the source committed no offsets at the savepoint
        assertEquals(Map.of(), GroupProgress.committedOffsets(conn, cfg.groupId(), in));

        StrataException refused = assertThrows(
                StrataException.class,
                () -> GroupProgress.refuseResumedGroup(conn, cfg.groupId(), in, cfg.transactionalIdPrefix()));
        assertTrue(refused.getMessage().contains("consumer group '" + cfg.groupId() + "'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--from-savepoint"), refused.getMessage());
        // another group on the same topic (its sinks with their own transactional ids) starts afresh
        assertDoesNotThrow(() -> GroupProgress.refuseResumedGroup(conn, "fresh-" + out, in, "strata-fresh-" + out));
    }

    /** Waits until the job has written a curated record, still inside its open transaction. */
    private static void awaitUncommittedOutput(String bs, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bs);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + topic);
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(java.util.List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (c.poll(Duration.ofMillis(500)).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the job wrote nothing to " + topic);
            }
        }
    }
}
