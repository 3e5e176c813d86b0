package dev.strata.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.io.NpyReader;
import dev.strata.io.NpyWriter;
import dev.strata.kafka.EmbeddingPublisher;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.model.ClusterTree;
import dev.strata.model.ModelFile;
import dev.strata.progress.Progress;
import dev.strata.records.WireFormat;
import dev.strata.vector.FloatMatrix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** `bootstrap --input-topic` on a real broker: the records of a range give the model their rows give from a file. */
@ExtendWith(SharedKafka.class)
class TopicBootstrapIT {
    @TempDir
    Path dir;

    private static FloatMatrix rows(FloatMatrix m, int from, int to) {
        return new FloatMatrix(Arrays.copyOfRange(m.data(), from * m.dim(), to * m.dim()), to - from, m.dim());
    }

    private static String[] bootstrap(Path out, String... input) {
        String[] common = {
            "--levels",
            "20,4",
            "--sample-sizes",
            "8,2",
            "--resample-steps",
            "2",
            "--iters",
            "5",
            "--threads",
            "2",
            "--seed",
            "4",
            "--out",
            out.toString()
        };
        String[] args = new String[1 + input.length + common.length];
        args[0] = "bootstrap";
        System.arraycopy(input, 0, args, 1, input.length);
        System.arraycopy(common, 0, args, 1 + input.length, common.length);
        return args;
    }

    private static void assertSameClusters(Path expected, Path actual) {
        ClusterTree a = ModelFile.read(expected);
        ClusterTree b = ModelFile.read(actual);
        for (int t = 1; t <= a.depth(); t++) {
            assertArrayEquals(
                    a.level(t).centroids().data(), b.level(t).centroids().data(), "level " + t);
            assertArrayEquals(a.level(t).size(), b.level(t).size(), "level " + t);
        }
    }

    @Test
    void aRangeOfTheInputTopicBootstrapsLikeItsRowsInAFile(LocalKafka kafka) throws Exception {
        String servers = kafka.bootstrapServers();
        Path poolFile = dir.resolve("pool.npy");
        assertEquals(
                0,
                CliRun.of(
                                "generate",
                                "--kind",
                                "gmm",
                                "--n",
                                "700",
                                "--dim",
                                "8",
                                "--concepts",
                                "6",
                                "--out",
                                poolFile.toString())
                        .exit());
        FloatMatrix pool = NpyReader.read(poolFile);
        String topic = KafkaTestSupport.newTopic(servers, "bootstrap-input", 1, Map.of());
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(servers)) {
            new EmbeddingPublisher(p, topic, WireFormat.JSON, 0, Progress.silent()).publish(rows(pool, 0, 300), null);
            // what a crawler gets wrong: the job would dead-letter these, the bootstrap skips and counts them
            p.send(new ProducerRecord<>(
                            topic,
                            "bad".getBytes(StandardCharsets.UTF_8),
                            "{\"id\": \"x\", \"embedding\": [1, 2]}".getBytes(StandardCharsets.UTF_8)))
                    .get();
            p.send(new ProducerRecord<>(
                            topic,
                            "junk".getBytes(StandardCharsets.UTF_8),
                            "not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
            new EmbeddingPublisher(p, topic, WireFormat.JSON, 0, Progress.silent()).publish(rows(pool, 300, 700), null);
        }

        // the first 500 valid records: rows 0..499 (the two bad ones sit at offsets 300 and 301)
        Path first = dir.resolve("first500.npy");
        NpyWriter.write(first, rows(pool, 0, 500));
        Path fromFile = dir.resolve("file.model");
        Path fromTopic = dir.resolve("topic.model");
        assertEquals(
                0, CliRun.of(bootstrap(fromFile, "--input", first.toString())).exit());
        CliRun r = CliRun.of(
                bootstrap(fromTopic, "--input-topic", topic, "--bootstrap-servers", servers, "--records", "500"));
        assertEquals(0, r.exit(), r.err());
        assertSameClusters(fromFile, fromTopic);
        assertEquals("kafka:" + topic, ModelFile.read(fromTopic).params().input());

        // drift reads the same range of the topic: the figures of the same rows in a file
        CliRun driftFile = CliRun.of("drift", "--model", fromFile.toString(), "--input", first.toString());
        CliRun driftTopic = CliRun.of(
                "drift",
                "--model",
                fromFile.toString(),
                "--input-topic",
                topic,
                "--bootstrap-servers",
                servers,
                "--records",
                "500");
        assertEquals(0, driftTopic.exit(), driftTopic.err());
        assertEquals(driftFile.out(), driftTopic.out());
        assertTrue(driftTopic.out().contains("500 rows against model"), driftTopic.out());

        // offsets [302, 702): rows 300..699
        Path tail = dir.resolve("tail.npy");
        NpyWriter.write(tail, rows(pool, 300, 700));
        Path tailFile = dir.resolve("tail-file.model");
        Path tailTopic = dir.resolve("tail-topic.model");
        assertEquals(
                0, CliRun.of(bootstrap(tailFile, "--input", tail.toString())).exit());
        CliRun o = CliRun.of(bootstrap(
                tailTopic,
                "--input-topic",
                topic,
                "--bootstrap-servers",
                servers,
                "--from-offset",
                "302",
                "--until-offset",
                "702"));
        assertEquals(0, o.exit(), o.err());
        assertSameClusters(tailFile, tailTopic);

        // from offset 300 the first valid record is the 2-d one: the run says so instead of clustering one row
        CliRun odd = CliRun.of(bootstrap(
                dir.resolve("odd.model"),
                "--input-topic",
                topic,
                "--bootstrap-servers",
                servers,
                "--from-offset",
                "300"));
        assertTrue(odd.exit() != 0);
        assertTrue(odd.oneLineError(), odd.err());
        assertTrue(
                odd.err()
                        .contains(
                                "the first valid record in the range has dimension 2 but 400 later ones have another"),
                odd.err());

        CliRun none = CliRun.of(bootstrap(
                dir.resolve("none.model"),
                "--input-topic",
                topic,
                "--bootstrap-servers",
                servers,
                "--from-offset",
                "301",
                "--until-offset",
                "302"));
        assertTrue(none.exit() != 0);
        assertTrue(none.oneLineError(), none.err());
        assertTrue(
                none.err().contains("holds no valid embedding in the range asked (skipped: UNPARSEABLE 1)"),
                none.err());
    }
}
