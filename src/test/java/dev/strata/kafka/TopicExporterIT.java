package dev.strata.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.cli.ExportCommand;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.progress.Progress;
import dev.strata.records.CuratedRecord;
import dev.strata.records.DeadLetter;
import dev.strata.records.DecodeResult;
import dev.strata.records.ExportText;
import dev.strata.records.InvalidReason;
import dev.strata.records.RecordDecoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(SharedKafka.class)
class TopicExporterIT {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> curated(String topic, String id) {
        return new ProducerRecord<>(
                topic, utf8(id), new CuratedRecord(id, "v1", new int[] {1, 0}, 0.5f, "{}").toJson());
    }

    private static ProducerRecord<byte[], byte[]> tombstone(String topic, String id) {
        return new ProducerRecord<>(topic, utf8(id), CuratedRecord.tombstoneValue());
    }

    @Test
    void plainTopicGivesCommittedIdsOnlyInOrder(LocalKafka kafka, @TempDir Path dir) throws Exception {
        String bs = kafka.bootstrapServers();
        String topic = KafkaTestSupport.newTopic(bs, "curated", 1, Map.of());
        Properties tx = EmbeddingPublisher.producerConfig(bs);
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "export-it-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(tx)) {
            p.initTransactions();
            p.beginTransaction();
            for (int i = 0; i < 50; i++) {
                p.send(curated(topic, "c" + i));
            }
            p.commitTransaction();
            p.beginTransaction();
            for (int i = 0; i < 10; i++) {
                p.send(curated(topic, "aborted" + i));
            }
            p.flush();
            p.abortTransaction();
            p.beginTransaction();
            p.send(curated(topic, "c50"));
            p.commitTransaction();
        }
        Path out = dir.resolve("ids.txt");
        TopicExporter.Result r = TopicExporter.export(bs, topic, out, TopicExporter.Mode.AUTO, Progress.silent());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 50; i++) {
            expected.add("c" + i);
        }
        assertEquals(expected, Files.readAllLines(out));
        assertEquals(TopicExporter.Mode.PLAIN, r.mode());
        assertEquals(51, r.linesWritten());
    }

    /**
     * Right after commitTransaction returns, the commit markers may not be on the partition yet and
     * the read_committed end offset stays before the transaction's records (127 of 200 tries on the
     * local broker): the end the export takes must include a transaction committed before it.
     */
    @Test
    void theEndTakenRightAfterACommitIncludesThatTransaction(LocalKafka kafka) throws Exception {
        String bs = kafka.bootstrapServers();
        String topic = KafkaTestSupport.newTopic(bs, "just-committed", 1, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        Properties tx = EmbeddingPublisher.producerConfig(bs);
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "export-end-" + UUID.randomUUID());
        Admin admin = KafkaTopics.admin(KafkaConnection.plain(bs));
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(tx);
                KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(TopicExporter.consumerConfig(bs))) {
            p.initTransactions();
            for (int round = 0; round < 20; round++) {
                p.beginTransaction();
                long offset = p.send(curated(topic, "r" + round)).get().offset();
                p.commitTransaction();
                long end = TopicExporter.committedEnd(admin, c, List.of(tp)).get(tp);
                assertTrue(
                        end > offset,
                        "round " + round + ": end " + end + " stops before the committed record at " + offset);
            }
        } finally {
            KafkaTopics.close(admin);
        }
    }

    @Test
    void compactedTopicGivesLiveIdsAfterTombstones(LocalKafka kafka, @TempDir Path dir) throws Exception {
        String bs = kafka.bootstrapServers();
        String topic = KafkaTestSupport.newTopic(bs, "changelog", 2, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            for (int i = 0; i < 20; i++) {
                p.send(curated(topic, String.valueOf(i)));
            }
            p.send(tombstone(topic, "5"));
            p.send(tombstone(topic, "7"));
            p.send(curated(topic, "5"));
            p.send(tombstone(topic, "never-added"));
        }
        Path out = dir.resolve("live.txt");
        TopicExporter.Result r = TopicExporter.export(bs, topic, out, TopicExporter.Mode.AUTO, Progress.silent());
        assertEquals(TopicExporter.Mode.CHANGELOG, r.mode());
        List<String> live = Files.readAllLines(out);
        assertEquals(19, live.size());
        assertTrue(live.contains("5"));
        assertTrue(!live.contains("7"));
        assertEquals(24, r.recordsRead());
        assertEquals(3, r.tombstones());
    }

    @Test
    void aTombstoneInAnUncompactedTopicSwitchesToChangelog(LocalKafka kafka, @TempDir Path dir) throws Exception {
        String bs = kafka.bootstrapServers();
        String topic = KafkaTestSupport.newTopic(bs, "upserts", 1, Map.of());
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            p.send(curated(topic, "a"));
            p.send(curated(topic, "b"));
            p.send(curated(topic, "c"));
            p.send(tombstone(topic, "a"));
            p.send(curated(topic, "d"));
            p.send(curated(topic, "b")); // an upsert of a live id moves it last
        }
        Path out = dir.resolve("live.txt");
        TopicExporter.Result r = TopicExporter.export(bs, topic, out, TopicExporter.Mode.AUTO, Progress.silent());
        assertEquals(TopicExporter.Mode.CHANGELOG, r.mode());
        assertEquals(List.of("c", "d", "b"), Files.readAllLines(out));

        Path plain = dir.resolve("plain.txt");
        TopicExporter.export(bs, topic, plain, TopicExporter.Mode.PLAIN, Progress.silent());
        assertEquals(List.of("a", "b", "c", "a", "d", "b"), Files.readAllLines(plain));
    }

    @Test
    void deadLetterTopicGivesKeyReasonDetail(LocalKafka kafka, @TempDir Path dir) throws Exception {
        String bs = kafka.bootstrapServers();
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        byte[][] values = {utf8("{\"embedding\":[1,NaN]}"), new byte[] {1, 2, 3}, new byte[0]};
        String[] keys = {"k0", "k1", "k2"};
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            for (int i = 0; i < keys.length; i++) {
                var headers = List.<Header>of(new RecordHeader("crawler", utf8("c1")));
                DecodeResult bad = RecordDecoder.decode(utf8(keys[i]), values[i], headers, 2);
                p.send(DeadLetter.of(dlq, "embeddings", 0, i, utf8(keys[i]), values[i], headers, bad)
                        .toProducerRecord());
            }
        }
        Path out = dir.resolve("dlq.txt");
        StringWriter msg = new StringWriter();
        int rc = new CommandLine(new ExportCommand())
                .setOut(new PrintWriter(msg))
                .execute("--bootstrap-servers", bs, "--topic", dlq, "--out", out.toString());
        assertEquals(0, rc);
        assertTrue(msg.toString().startsWith("exported 3 dead letters"), msg.toString());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("k0\tNON_FINITE\tembedding[1] is NaN"), lines.get(0));
        assertTrue(lines.get(1).startsWith("k1\tUNPARSEABLE\t"), lines.get(1));
        assertEquals("k2\tEMPTY_VALUE\tvalue is empty", lines.get(2));
        for (String l : lines) {
            assertEquals(3, l.split("\t", -1).length, l);
        }
        var stored = KafkaTestSupport.readAll(bs, dlq);
        assertEquals(
                "c1", new String(stored.get(1).headers().lastHeader("crawler").value(), StandardCharsets.UTF_8));
        assertEquals(
                "embeddings-0-1",
                new String(
                        stored.get(1)
                                .headers()
                                .lastHeader(DeadLetter.SOURCE_HEADER)
                                .value(),
                        StandardCharsets.UTF_8));
        assertEquals(3, stored.get(1).value().length, "original value kept unchanged");
    }

    @Test
    void idsWithSeparatorsStayOnTheirLineAndComeBackByteForByte(LocalKafka kafka, @TempDir Path dir) throws Exception {
        String bs = kafka.bootstrapServers();
        List<byte[]> keys = List.of(
                utf8("tab\there"),
                utf8("two\nlines"),
                utf8("cr\rlf"),
                utf8("back\\slash"),
                utf8("\\t not a tab"),
                new byte[] {'b', 'i', 'n', (byte) 0xff},
                utf8("plain-1"));
        String plain = KafkaTestSupport.newTopic(bs, "curated", 1, Map.of());
        String changelog = KafkaTestSupport.newTopic(bs, "changelog", 1, Map.of("cleanup.policy", "compact"));
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            for (byte[] k : keys) {
                p.send(new ProducerRecord<>(plain, k, utf8("{}")));
                p.send(new ProducerRecord<>(changelog, k, utf8("{}")));
                p.send(DeadLetter.of(
                                dlq,
                                "embeddings",
                                0,
                                1,
                                k,
                                new byte[] {1},
                                null,
                                InvalidReason.UNPARSEABLE,
                                "bad\tdetail")
                        .toProducerRecord());
            }
            p.send(new ProducerRecord<>(changelog, keys.get(0), null));
        }
        for (String topic : List.of(plain, changelog)) {
            Path out = dir.resolve(topic + ".txt");
            TopicExporter.export(bs, topic, out, TopicExporter.Mode.AUTO, Progress.silent());
            List<String> lines = Files.readAllLines(out);
            List<byte[]> expected = topic.equals(plain) ? keys : keys.subList(1, keys.size());
            assertEquals(expected.size(), lines.size(), topic + ": " + lines);
            for (int i = 0; i < lines.size(); i++) {
                assertArrayEquals(expected.get(i), ExportText.unescape(lines.get(i)), lines.get(i));
            }
        }
        assertEquals(
                "tab\\there", Files.readAllLines(dir.resolve(plain + ".txt")).get(0));
        Path out = dir.resolve("dlq.txt");
        TopicExporter.export(bs, dlq, out, TopicExporter.Mode.AUTO, Progress.silent());
        List<String> lines = Files.readAllLines(out);
        assertEquals(keys.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String[] cols = lines.get(i).split("\t", -1);
            assertEquals(3, cols.length, lines.get(i));
            assertArrayEquals(keys.get(i), ExportText.unescape(cols[0]));
            assertEquals("UNPARSEABLE", cols[1]);
        }
    }

    private static ProducerRecord<byte[], byte[]> curated(String topic, String id, int leaf, int top, float distance) {
        return new ProducerRecord<>(
                topic, utf8(id), new CuratedRecord(id, "v1", new int[] {leaf, 7, top}, distance, "{}").toJson());
    }

    @Test
    void clusterColumnsFollowEachIdUnderAHeader(LocalKafka kafka, @TempDir Path dir) throws Exception {
        String bs = kafka.bootstrapServers();
        String plain = KafkaTestSupport.newTopic(bs, "curated", 1, Map.of());
        String upserts = KafkaTestSupport.newTopic(bs, "upserts", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(bs)) {
            p.send(curated(plain, "a\tb", 12, 3, 0.25f));
            p.send(curated(plain, "c", 4, 0, 1.5f));
            p.send(new ProducerRecord<>(plain, utf8("not-curated"), utf8("{\"embedding\":[1]}")));
            // a tombstone after two lines switches to changelog: the columns must survive the replay
            p.send(curated(upserts, "x", 1, 1, 0.5f));
            p.send(curated(upserts, "y", 2, 2, 0.75f));
            p.send(tombstone(upserts, "x"));
            p.send(curated(upserts, "z", 3, 0, 2.0f));
            p.send(curated(upserts, "y", 5, 1, 0.125f));
            p.send(DeadLetter.of(
                            dlq, "embeddings", 0, 1, utf8("k"), new byte[] {1}, null, InvalidReason.UNPARSEABLE, "bad")
                    .toProducerRecord());
        }
        Path out = dir.resolve("plain.tsv");
        StringWriter msg = new StringWriter();
        int rc = new CommandLine(new ExportCommand())
                .setOut(new PrintWriter(msg))
                .execute("--bootstrap-servers", bs, "--topic", plain, "--with-clusters", "--out", out.toString());
        assertEquals(0, rc);
        assertEquals(
                List.of(TopicExporter.CLUSTER_HEADER, "a\\tb\t12\t3\t0.25", "c\t4\t0\t1.5", "not-curated\t\t\t"),
                Files.readAllLines(out));
        assertTrue(
                msg.toString().contains("exported 3 ids") && msg.toString().contains("1 records were not curated"),
                msg.toString());

        Path live = dir.resolve("live.tsv");
        TopicExporter.Result r = TopicExporter.export(
                KafkaConnection.plain(bs), upserts, live, TopicExporter.Mode.AUTO, true, Progress.silent());
        assertEquals(TopicExporter.Mode.CHANGELOG, r.mode());
        assertEquals(List.of(TopicExporter.CLUSTER_HEADER, "z\t3\t0\t2.0", "y\t5\t1\t0.125"), Files.readAllLines(live));
        assertEquals(2, r.linesWritten());

        StrataException e = assertThrows(
                StrataException.class,
                () -> TopicExporter.export(
                        KafkaConnection.plain(bs),
                        dlq,
                        dir.resolve("d.tsv"),
                        TopicExporter.Mode.AUTO,
                        true,
                        Progress.silent()));
        assertTrue(
                e.getMessage().contains("dead letters") && e.getMessage().contains("without --with-clusters"),
                e.getMessage());
    }

    @Test
    void emptyTopicGivesAnEmptyFile(LocalKafka kafka, @TempDir Path dir) throws Exception {
        String topic = KafkaTestSupport.newTopic(kafka.bootstrapServers(), "empty", 2, Map.of());
        Path out = dir.resolve("none.txt");
        TopicExporter.Result r =
                TopicExporter.export(kafka.bootstrapServers(), topic, out, TopicExporter.Mode.AUTO, Progress.silent());
        assertEquals(0, r.linesWritten());
        assertEquals(0, Files.size(out));
    }

    @Test
    void missingTopicIsAOneLineError(LocalKafka kafka, @TempDir Path dir) {
        StrataException e = assertThrows(
                StrataException.class,
                () -> TopicExporter.export(
                        kafka.bootstrapServers(),
                        "does-not-exist",
                        dir.resolve("x.txt"),
                        TopicExporter.Mode.AUTO,
                        Progress.silent()));
        assertTrue(e.getMessage().startsWith("topic 'does-not-exist' does not exist on "), e.getMessage());
    }
}
