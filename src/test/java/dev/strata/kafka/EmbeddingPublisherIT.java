package dev.strata.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.cli.ProduceCommand;
import dev.strata.io.EmbeddingFiles;
import dev.strata.io.NpyReader;
import dev.strata.io.NpyWriter;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.progress.Progress;
import dev.strata.records.DecodeResult;
import dev.strata.records.RecordDecoder;
import dev.strata.records.WireFormat;
import dev.strata.vector.FloatMatrix;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(SharedKafka.class)
class EmbeddingPublisherIT {
    private static FloatMatrix randomMatrix(int rows, int dim, long seed) {
        Random rnd = new Random(seed);
        float[] d = new float[rows * dim];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        return new FloatMatrix(d, rows, dim);
    }

    private static void publishAndReadBack(String bootstrap, WireFormat format) {
        int rows = 600;
        int dim = 96;
        FloatMatrix m = randomMatrix(rows, dim, format.ordinal());
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 7;
        }
        String topic =
                KafkaTestSupport.newTopic(bootstrap, "publish-" + format.name().toLowerCase(), 3, Map.of());
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bootstrap)) {
            EmbeddingPublisher.Summary s =
                    new EmbeddingPublisher(p, topic, format, 0, Progress.silent()).publish(m, labels);
            assertEquals(rows, s.records());
        }
        List<ConsumerRecord<byte[], byte[]>> got = KafkaTestSupport.readAll(bootstrap, topic);
        assertEquals(rows, got.size());
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : got) {
            DecodeResult d = RecordDecoder.decode(r.key(), r.value(), r.headers(), dim);
            assertTrue(d.isValid(), d::toString);
            int row = Integer.parseInt(d.record().id());
            assertEquals(d.record().id(), new String(r.key()), "key = id");
            assertArrayEquals(m.row(row), d.record().embedding());
            String label = format == WireFormat.JSON ? String.valueOf(labels[row]) : "\"" + labels[row] + "\"";
            assertEquals("{\"label\":" + label + "}", d.record().meta());
            ids.add(d.record().id());
        }
        assertEquals(rows, ids.size());
    }

    @Test
    void publishesJsonThatDecodesBackToTheRows(LocalKafka kafka) {
        publishAndReadBack(kafka.bootstrapServers(), WireFormat.JSON);
    }

    @Test
    void publishesF32ThatDecodesBackToTheRows(LocalKafka kafka) {
        publishAndReadBack(kafka.bootstrapServers(), WireFormat.F32);
    }

    @Test
    void rateLimitPacesTheSends(LocalKafka kafka) {
        String topic = KafkaTestSupport.newTopic(kafka.bootstrapServers(), "paced", 1, Map.of());
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(kafka.bootstrapServers())) {
            EmbeddingPublisher.Summary s = new EmbeddingPublisher(p, topic, WireFormat.F32, 200, Progress.silent())
                    .publish(randomMatrix(100, 8, 5), null);
            assertTrue(s.seconds() >= 0.45, "100 records at 200/s take about 0.5 s, took " + s.seconds());
        }
    }

    @Test
    void produceCommandSendsAnNpyFile(LocalKafka kafka, @TempDir Path dir) {
        FloatMatrix m = randomMatrix(250, 16, 9);
        Path npy = dir.resolve("x.npy");
        Path labels = dir.resolve("x.labels.npy");
        NpyWriter.write(npy, m);
        NpyWriter.writeLabels(labels, new int[250]);
        String topic = KafkaTestSupport.newTopic(kafka.bootstrapServers(), "produce-cli", 2, Map.of());
        StringWriter out = new StringWriter();
        int rc = new CommandLine(new ProduceCommand(EmbeddingFiles::read, NpyReader::readLabels))
                .setOut(new PrintWriter(out))
                .execute(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic",
                        topic,
                        "--input",
                        npy.toString(),
                        "--format",
                        "f32",
                        "--meta-labels",
                        labels.toString());
        assertEquals(0, rc, out::toString);
        assertTrue(
                out.toString().startsWith("produced 250 records (f32, 16-d, with labels) to " + topic), out.toString());
        assertEquals(
                250, KafkaTestSupport.readAll(kafka.bootstrapServers(), topic).size());
    }

    @Test
    void produceToAMissingTopicFailsWithAFix(LocalKafka kafka, @TempDir Path dir) {
        Path npy = dir.resolve("x.npy");
        NpyWriter.write(npy, randomMatrix(3, 4, 1));
        ProduceCommand cmd = new ProduceCommand(EmbeddingFiles::read, NpyReader::readLabels);
        CommandLine cli = new CommandLine(cmd);
        cli.parseArgs(
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "no-such-topic", "--input", npy.toString());
        StrataException e = assertThrows(StrataException.class, cmd::call);
        assertTrue(e.getMessage().contains("topic 'no-such-topic' does not exist"), e.getMessage());
    }
}
