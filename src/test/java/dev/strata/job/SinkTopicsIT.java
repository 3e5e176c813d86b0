package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.sampling.LeafStrategy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Output topics the job could not write correctly are refused before it starts, with one line that says the fix. */
@ExtendWith(SharedKafka.class)
class SinkTopicsIT {
    @TempDir
    static Path dir;

    static JobFixture fx;

    @BeforeAll
    static void model() {
        fx = new JobFixture(dir, 600, 8, 5);
    }

    private static StrataException refused(LocalKafka kafka, String out, String dlq, EmitMode mode) {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 1, Map.of());
        CurateConfig cfg = fx.config(bs, in, out, dlq, mode, LeafStrategy.RANDOM, 10, 100, true);
        StrataException e = assertThrows(
                StrataException.class,
                () -> JobRuntime.startLocal(
                        cfg, fx.tree.top().clusters(), 1, dir.resolve("cp").toString(), 500, 0));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void exactModeRefusesAnOutputTopicThatIsNotCompacted(LocalKafka kafka) {
        String bs = kafka.bootstrapServers();
        String out = KafkaTestSupport.newTopic(bs, "changelog", 1, Map.of("cleanup.policy", "delete"));
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        String msg = refused(kafka, out, dlq, EmitMode.EXACT).getMessage();
        assertTrue(msg.startsWith("output topic '" + out + "' has cleanup.policy=delete"), msg);
        assertTrue(msg.contains("--entity-name " + out + " --add-config cleanup.policy=compact"), msg);
    }

    @Test
    void exactModeRefusesAMissingOutputTopic(LocalKafka kafka) {
        String dlq = KafkaTestSupport.newTopic(kafka.bootstrapServers(), "dlq", 1, Map.of());
        String msg = refused(kafka, "no-such-changelog", dlq, EmitMode.EXACT).getMessage();
        assertTrue(msg.contains("--create --topic no-such-changelog --config cleanup.policy=compact"), msg);
    }

    @Test
    void aCompactedDeadLetterTopicIsRefused(LocalKafka kafka) {
        String bs = kafka.bootstrapServers();
        String out = KafkaTestSupport.newTopic(bs, "curated", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of("cleanup.policy", "compact"));
        String msg = refused(kafka, out, dlq, EmitMode.ADMISSION).getMessage();
        assertTrue(msg.startsWith("dead-letter topic '" + dlq + "' is compacted"), msg);
        assertTrue(msg.contains("--add-config cleanup.policy=delete"), msg);
        // why: the broker refuses the dead letter of a record without a key (MISSING_ID), every time
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> p.send(new ProducerRecord<>(dlq, null, new byte[] {1}))
                            .get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof InvalidRecordException, String.valueOf(e.getCause()));
        }
    }

    @Test
    void aSinkTopicThatTakesLessThanTheRecordLimitIsRefused(LocalKafka kafka) {
        String bs = kafka.bootstrapServers();
        String out = KafkaTestSupport.newTopic(bs, "curated", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of("max.message.bytes", "100000"));
        String msg = refused(kafka, out, dlq, EmitMode.ADMISSION).getMessage();
        assertTrue(msg.startsWith("topic '" + dlq + "' takes records up to 100000 bytes (max.message.bytes)"), msg);
    }
}
