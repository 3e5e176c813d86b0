package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.kafka.EmbeddingPublisher;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.kafka.KafkaTopics;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.progress.Progress;
import dev.strata.records.DeadLetter;
import dev.strata.records.WireFormat;
import dev.strata.synth.GaussianMixture;
import dev.strata.synth.SyntheticData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Bad inputs to the streaming commands: each ends in one clear line or in dead letters, never a hang or a crash. */
@ExtendWith(SharedKafka.class)
class JobInputsIT {
    @TempDir
    static Path dir;

    static Path model8;

    @BeforeAll
    static void model() {
        model8 = TestModels.dim8(dir);
    }

    private static Path config(String bootstrap, String in, String out, Path model) throws Exception {
        Path f = Files.createTempFile(dir, "curate", ".yaml");
        Files.writeString(
                f,
                "job: curate\nkafka:\n  bootstrapServers: " + bootstrap + "\n  inputTopic: " + in + "\n  outputTopic: "
                        + out + "\nmodel: " + model + "\nquota:\n  target: 10\n  expectedVolume: 100\n");
        return f;
    }

    @Test
    void truncatedModelIsRefusedBeforeAnythingStarts(LocalKafka kafka) throws Exception {
        byte[] all = Files.readAllBytes(model8);
        Path cut = dir.resolve("cut.model");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        CliRun submit = CliRun.of(
                "submit",
                config(kafka.bootstrapServers(), "embeddings", "curated", cut).toString(),
                "--jobmanager",
                "http://127.0.0.1:" + SharedKafka.freePort());
        assertEquals(Strata.USAGE_ERROR, submit.exit());
        assertTrue(submit.oneLineError() && submit.err().contains("truncated"), submit.err());

        CliRun curate = CliRun.of(
                "curate",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--input-topic",
                "x",
                "--output-topic",
                "y",
                "--model",
                cut.toString(),
                "--keep-fraction",
                "0.1",
                "--web-ui-port",
                "0");
        assertEquals(Strata.USAGE_ERROR, curate.exit());
        assertTrue(curate.oneLineError() && curate.err().contains("truncated"), curate.err());
    }

    @Test
    void unreachableBrokerIsAClearErrorNotAHang() {
        long start = System.nanoTime();
        CliRun curate = CliRun.of(
                "curate",
                "--bootstrap-servers",
                "127.0.0.1:" + SharedKafka.freePort(),
                "--input-topic",
                "in",
                "--output-topic",
                "out",
                "--model",
                model8.toString(),
                "--keep-fraction",
                "0.1",
                "--web-ui-port",
                "0");
        double secs = (System.nanoTime() - start) / 1e9;
        assertEquals(Strata.USAGE_ERROR, curate.exit());
        assertTrue(curate.oneLineError() && curate.err().contains("no Kafka broker answers"), curate.err());
        assertTrue(secs < 60, "gave up after " + secs + " s");
    }

    @Test
    void missingTopicIsNamed(LocalKafka kafka) {
        CliRun curate = CliRun.of(
                "curate",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--input-topic",
                "no-such-topic",
                "--output-topic",
                "out",
                "--model",
                model8.toString(),
                "--keep-fraction",
                "0.1",
                "--web-ui-port",
                "0");
        assertEquals(Strata.USAGE_ERROR, curate.exit());
        assertTrue(curate.oneLineError() && curate.err().contains("'no-such-topic' does not exist"), curate.err());
    }

    @Test
    void noJobManagerIsAClearError(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "out", 1, Map.of());
        KafkaTopics.createTopics(bs, List.of(new NewTopic(in + ".dlq", 1, (short) 1)));
        CliRun submit = CliRun.of(
                "submit",
                config(bs, in, out, model8).toString(),
                "--jobmanager",
                "http://127.0.0.1:" + SharedKafka.freePort());
        assertEquals(Strata.USAGE_ERROR, submit.exit());
        assertTrue(submit.oneLineError() && submit.err().contains("no Flink JobManager answers"), submit.err());
    }

    @Test
    void modelOfAnotherDimensionSendsRecordsToDeadLettersAndTheJobEnds(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "out", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        SyntheticData records16 = new GaussianMixture(50, 16, 3, 1.0, 2).generate();
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            new EmbeddingPublisher(p, in, WireFormat.JSON, 0, Progress.silent()).publish(records16.points(), null);
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
                "--web-ui-port",
                "0",
                "--checkpoint-dir",
                dir.resolve("cp").toString(),
                "--checkpoint-interval-ms",
                "500");
        assertEquals(0, curate.exit(), curate.err());
        List<ConsumerRecord<byte[], byte[]>> letters = KafkaTestSupport.readAll(bs, dlq);
        assertEquals(50, letters.size());
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            assertEquals(
                    "WRONG_DIMENSION",
                    new String(r.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8));
        }
        assertEquals(0, KafkaTestSupport.readAll(bs, out).size());
    }

    @Test
    void freshStartOnAGroupThatAlreadyConsumedIsRefused(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "out", 1, Map.of());
        KafkaTopics.createTopics(bs, List.of(new NewTopic(in + ".dlq", 1, (short) 1)));
        SyntheticData rows = new GaussianMixture(5, 8, 1, 1.0, 3).generate();
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            new EmbeddingPublisher(p, in, WireFormat.JSON, 0, Progress.silent()).publish(rows.points(), null);
        }
        String group = "strata-" + out;
        try (Admin admin = KafkaTopics.admin(bs)) {
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(in, 0), new OffsetAndMetadata(3)))
                    .all()
                    .get();
        }
        CliRun curate = CliRun.of(
                "curate",
                "--bootstrap-servers",
                bs,
                "--input-topic",
                in,
                "--output-topic",
                out,
                "--model",
                model8.toString(),
                "--keep-fraction",
                "0.5",
                "--web-ui-port",
                "0");
        assertEquals(Strata.USAGE_ERROR, curate.exit());
        assertTrue(
                curate.oneLineError()
                        && curate.err().contains("already consumed 3 records")
                        && curate.err().contains("--from-savepoint"),
                curate.err());
    }

    /** Each of these ran before: target 0 from "5k", and the job refused nothing of the rest. */
    @Test
    void mistypedJobFileValueStopsCurateWithOneLineNamingTheKey(LocalKafka kafka) throws Exception {
        Path f = config(kafka.bootstrapServers(), "in", "out", model8);
        Files.writeString(f, Files.readString(f).replace("target: 10", "target: 5k"));
        CliRun curate = CliRun.of("curate", "--config", f.toString(), "--web-ui-port", "0");
        assertEquals(Strata.USAGE_ERROR, curate.exit());
        assertTrue(curate.oneLineError(), curate.err());
        assertEquals(
                "strata curate: " + f + ": quota.target: \"5k\" is not an integer",
                curate.err().strip());
    }

    @Test
    void outOfRangeFlagsStopCurateWithOneLineNamingTheFlag() {
        CliRun zero = CliRun.of(
                "curate",
                "--input-topic",
                "in",
                "--output-topic",
                "out",
                "--model",
                model8.toString(),
                "--target",
                "0",
                "--expected-volume",
                "100",
                "--web-ui-port",
                "0");
        assertEquals(Strata.USAGE_ERROR, zero.exit());
        assertEquals("strata curate: --target: must be >= 1, got 0", zero.err().strip());

        CliRun slow = CliRun.of(
                "curate",
                "--input-topic",
                "in",
                "--output-topic",
                "out",
                "--model",
                model8.toString(),
                "--keep-fraction",
                "0.1",
                "--checkpoint-timeout-ms",
                "600000",
                "--web-ui-port",
                "0");
        assertEquals(Strata.USAGE_ERROR, slow.exit());
        assertTrue(
                slow.oneLineError()
                        && slow.err()
                                .startsWith("strata curate: the checkpoint interval 5000 ms "
                                        + "(execution.checkpointing.interval, the local default), timeout 600000 ms (--checkpoint-timeout-ms) and "
                                        + "pause 1000 ms (execution.checkpointing.min-pause, the local default) let a sink transaction stay open up "
                                        + "to 1201000 ms")
                        && slow.err().contains("must stay below --transaction-timeout-ms (600000)"),
                slow.err());
    }

    /** The broker's transaction.max.timeout.ms is 900000 (kafka/server.properties): the sinks could not start. */
    @Test
    void transactionTimeoutAboveTheBrokersLimitIsRefusedBeforeTheJobStarts(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "out", 1, Map.of());
        KafkaTopics.createTopics(bs, List.of(new NewTopic(in + ".dlq", 1, (short) 1)));
        CliRun curate = CliRun.of(
                "curate",
                "--bootstrap-servers",
                bs,
                "--input-topic",
                in,
                "--output-topic",
                out,
                "--model",
                model8.toString(),
                "--keep-fraction",
                "0.1",
                "--transaction-timeout-ms",
                "1000000",
                "--web-ui-port",
                "0");
        assertEquals(Strata.USAGE_ERROR, curate.exit());
        assertTrue(
                curate.oneLineError()
                        && curate.err()
                                .startsWith("strata curate: --transaction-timeout-ms (1000000) is "
                                        + "above transaction.max.timeout.ms (900000) of the brokers at " + bs),
                curate.err());

        Path f = config(bs, in, out, model8);
        Files.writeString(
                f,
                Files.readString(f)
                        .replace(
                                "  outputTopic: " + out + "\n",
                                "  outputTopic: " + out + "\n  transactionTimeoutMs: 1000000\n"));
        CliRun submit = CliRun.of("submit", f.toString(), "--jobmanager", "http://127.0.0.1:" + SharedKafka.freePort());
        assertEquals(Strata.USAGE_ERROR, submit.exit());
        assertTrue(
                submit.oneLineError()
                        && submit.err()
                                .startsWith("strata submit: " + f + ": kafka.transactionTimeoutMs "
                                        + "(1000000) is above transaction.max.timeout.ms (900000)"),
                submit.err());

        CliRun atTheLimit = CliRun.of(
                "submit",
                config(bs, in, out, model8).toString(),
                "--jobmanager",
                "http://127.0.0.1:" + SharedKafka.freePort());
        assertTrue(
                atTheLimit.err().contains("no Flink JobManager answers"),
                "a timeout within the limit passes: " + atTheLimit.err());
    }
}
