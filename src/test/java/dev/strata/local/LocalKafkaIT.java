package dev.strata.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.StrataException;
import dev.strata.cli.KafkaCommand;
import dev.strata.kafka.EmbeddingPublisher;
import dev.strata.kafka.KafkaTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(SharedKafka.class)
class LocalKafkaIT {

    @Test
    void statusReportsTheRunningBrokerAndItsPid(LocalKafka kafka) throws Exception {
        LocalKafka.Status st = kafka.status();
        assertTrue(st.answering());
        assertEquals(
                Long.parseLong(Files.readString(kafka.pidFile()).trim()),
                st.pid().getAsLong());
        assertTrue(Files.size(kafka.logFile()) > 0, "broker logs to the data dir");
    }

    @Test
    void secondStartIsANoOpEvenFromAnotherDataDir(LocalKafka kafka, @TempDir Path other) {
        assertFalse(kafka.start());
        LocalKafka sameport = new LocalKafka(kafka.home(), other, kafka.port(), kafka.controllerPort());
        assertFalse(sameport.start());
        assertFalse(Files.exists(other.resolve("broker.pid")), "no second broker was launched");
        assertFalse(sameport.stop(), "a broker from another data dir is not ours to stop");
        assertTrue(kafka.status().answering());
    }

    @Test
    void restartOnTheSameDataDirKeepsTopicsAndRecords(LocalKafka kafka) {
        String topic = "restart-check";
        LocalKafka.createTopics(kafka.bootstrapServers(), List.of(new NewTopic(topic, 1, (short) 1)));
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(EmbeddingPublisher.producerConfig(kafka.bootstrapServers()))) {
            p.send(new ProducerRecord<>(topic, "k".getBytes(), "v".getBytes()));
            p.flush();
        }
        long t0 = System.nanoTime();
        kafka.stop();
        kafka.start();
        System.err.printf("restart took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertTrue(kafka.status().answering());
        assertEquals(
                List.of(),
                LocalKafka.createTopics(kafka.bootstrapServers(), List.of(new NewTopic(topic, 1, (short) 1))),
                "the topic survived the restart");

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            ConsumerRecords<byte[], byte[]> got = ConsumerRecords.empty();
            long deadline = System.currentTimeMillis() + 20_000;
            while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                got = consumer.poll(Duration.ofMillis(500));
            }
            assertEquals(1, got.count());
            assertEquals("v", new String(got.iterator().next().value()));
        }
    }

    @Test
    void stopAndStatusWhenNothingRuns(@TempDir Path dir) {
        LocalKafka idle = new LocalKafka(ProjectHome.find(), dir, SharedKafka.freePort(), SharedKafka.freePort());
        assertFalse(idle.stop());
        LocalKafka.Status st = idle.status();
        assertEquals(LocalKafka.Probe.FREE, st.port());
        assertTrue(st.pid().isEmpty());
    }

    @Test
    void startRefusesAPortHeldBySomethingElse(@TempDir Path dir) throws Exception {
        try (ServerSocket squatter = new ServerSocket(0)) {
            LocalKafka k = new LocalKafka(ProjectHome.find(), dir, squatter.getLocalPort(), SharedKafka.freePort());
            StrataException e = assertThrows(StrataException.class, k::start);
            assertTrue(e.getMessage().contains("not a Kafka broker"), e.getMessage());
        }
    }

    @Test
    void kafkaCommandStartIsIdempotentAndCreatesDefaultTopics(LocalKafka kafka) throws Exception {
        String[] where = {
            "--port",
            String.valueOf(kafka.port()),
            "--controller-port",
            String.valueOf(kafka.controllerPort()),
            "--data-dir",
            kafka.dataDir().toString()
        };
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new KafkaCommand()).setOut(new PrintWriter(out));
        assertEquals(0, cli.execute(concat("start", where)));
        assertTrue(out.toString().contains("already running"), out.toString());
        assertTrue(out.toString().contains("curated.changelog (4 partitions, compacted"), out.toString());

        Admin admin = KafkaTopics.admin(kafka.bootstrapServers());
        try {
            assertTrue(admin.listTopics()
                    .names()
                    .get()
                    .containsAll(List.of("embeddings", "curated", "curated.changelog", "embeddings.dlq")));
            assertTrue(KafkaTopics.isCompacted(admin, kafka.bootstrapServers(), "curated.changelog"));
            assertFalse(KafkaTopics.isCompacted(admin, kafka.bootstrapServers(), "curated"));
        } finally {
            KafkaTopics.close(admin);
        }

        out.getBuffer().setLength(0);
        assertEquals(0, cli.execute(concat("status", where)));
        assertTrue(out.toString().startsWith("running: " + kafka.bootstrapServers() + " (pid "), out.toString());

        StringWriter idleOut = new StringWriter();
        int rc = new CommandLine(new KafkaCommand())
                .setOut(new PrintWriter(idleOut))
                .execute(
                        "status",
                        "--port",
                        String.valueOf(SharedKafka.freePort()),
                        "--data-dir",
                        kafka.dataDir().resolve("nowhere").toString());
        assertEquals(1, rc);
        assertTrue(idleOut.toString().startsWith("not running"), idleOut.toString());
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
