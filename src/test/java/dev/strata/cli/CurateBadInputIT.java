package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.kafka.EmbeddingPublisher;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.progress.Progress;
import dev.strata.records.DeadLetter;
import dev.strata.records.WireFormat;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.SyntheticData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7's bad inputs through `strata curate` itself: dead letters and a finished job, or one line before it starts. */
@ExtendWith(SharedKafka.class)
class CurateBadInputIT {
    @TempDir
    static Path dir;

    static Path model8;

    @BeforeAll
    static void model() {
        model8 = TestModels.dim8(dir);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anOversizedRecordBecomesADeadLetterAndCurateFinishes(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "out", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        SyntheticData rows = new GaussianMixture(40, 8, 3, 1.0, 2).generate();
        StringBuilder big = new StringBuilder("{\"id\":\"big\",\"embedding\":[0");
        while (big.length() < 2_400_000) {
            big.append(",0");
        }
        Properties gzip = EmbeddingPublisher.producerConfig(bs);
        gzip.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
        gzip.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(gzip)) {
            new EmbeddingPublisher(p, in, WireFormat.JSON, 0, Progress.silent()).publish(rows.points(), null);
            p.send(new ProducerRecord<>(
                    in,
                    "big".getBytes(StandardCharsets.UTF_8),
                    big.append("]}").toString().getBytes(StandardCharsets.UTF_8)));
        }
        CliRun curate = CliRun.of(
                "curate",
                "--bootstrap-servers",
                bs,
                "--input-topic",
                in,
                "--output-topic",
                out,
                "--dead-letter-topic",
                dlq,
                "--model",
                model8.toString(),
                "--keep-fraction",
                "0.5",
                "--bounded",
                "--parallelism",
                "1",
                "--web-ui-port",
                "0",
                "--checkpoint-dir",
                dir.resolve("cp").toString(),
                "--checkpoint-interval-ms",
                "500");
        assertEquals(0, curate.exit(), curate.err());
        List<ConsumerRecord<byte[], byte[]>> letters = KafkaTestSupport.readAll(bs, dlq);
        assertEquals(1, letters.size());
        ConsumerRecord<byte[], byte[]> r = letters.get(0);
        assertEquals(
                "OVERSIZED",
                new String(r.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8));
        assertEquals(
                Integer.toString(big.length()),
                new String(
                        r.headers().lastHeader(DeadLetter.ORIGINAL_SIZE_HEADER).value(), StandardCharsets.UTF_8));
        assertTrue(r.value().length < 1 << 20);
        assertTrue(KafkaTestSupport.readAll(bs, out).size() > 0);
    }

    @Test
    void exactModeOnATopicThatIsNotCompactedIsOneLineBeforeTheJobStarts(LocalKafka kafka) {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "changelog", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        CliRun curate = CliRun.of(
                "curate",
                "--bootstrap-servers",
                bs,
                "--input-topic",
                in,
                "--output-topic",
                out,
                "--dead-letter-topic",
                dlq,
                "--model",
                model8.toString(),
                "--keep-fraction",
                "0.5",
                "--mode",
                "exact",
                "--bounded",
                "--web-ui-port",
                "0",
                "--checkpoint-dir",
                dir.resolve("cp2").toString());
        assertEquals(Strata.USAGE_ERROR, curate.exit(), curate.err());
        assertTrue(curate.oneLineError(), curate.err());
        assertTrue(
                curate.err().contains("has cleanup.policy=delete")
                        && curate.err().contains("--add-config cleanup.policy=compact"),
                curate.err());
    }
}
