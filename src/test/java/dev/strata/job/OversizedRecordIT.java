package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.kafka.EmbeddingPublisher;
import dev.strata.kafka.KafkaTestSupport;
import dev.strata.local.LocalKafka;
import dev.strata.local.SharedKafka;
import dev.strata.records.CuratedRecord;
import dev.strata.records.DeadLetter;
import dev.strata.records.EmbeddingRecord;
import dev.strata.records.RecordEncoder;
import dev.strata.records.RecordSize;
import dev.strata.sampling.LeafStrategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records too large for the sinks, through the real job on a real broker: each ends in the
 * dead-letter topic as OVERSIZED, cut to fit, and the bounded job finishes. Before, the first
 * one failed the dead-letter sink with a RecordTooLargeException on every restart, forever.
 */
@ExtendWith(SharedKafka.class)
class OversizedRecordIT {
    private static final int N = 200;
    private static final int DIM = 16;

    @TempDir
    static Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Producers may send records above the 1 MiB default when they compress: the broker sees the compressed batch. */
    private static KafkaProducer<byte[], byte[]> compressingProducer(String bs) {
        Properties p = EmbeddingPublisher.producerConfig(bs);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(16 << 20));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        return new KafkaProducer<>(p);
    }

    @Test
    void oversizedRecordsEndInTheDeadLettersAndTheJobFinishes(LocalKafka kafka) throws Exception {
        JobFixture fx = new JobFixture(dir, 600, DIM, 23);
        String bs = kafka.bootstrapServers();
        String in = KafkaTestSupport.newTopic(bs, "in", 1, Map.of());
        String out = KafkaTestSupport.newTopic(bs, "curated", 1, Map.of());
        String dlq = KafkaTestSupport.newTopic(bs, "dlq", 1, Map.of());
        fx.produce(bs, in, 0, N, 3, 0);

        // 2.4 MB of JSON with far too many components (the record of the issue)
        StringBuilder json = new StringBuilder("{\"id\":\"big-json\",\"embedding\":[0");
        while (json.length() < 2_400_000 - 2) {
            json.append(",0");
        }
        byte[] bigJson = utf8(json.append("]}").toString());
        // a valid record with 1.5 MB of meta
        byte[] bigMeta = RecordEncoder.json(new EmbeddingRecord(
                "big-meta", fx.data.points().row(0), "{\"pad\":\"" + "x".repeat(1_500_000) + "\"}"));
        // a small valid f32 record whose header of control bytes escapes (x6) into a 2.4 MB curated meta
        byte[] small = RecordEncoder.f32(fx.data.points().row(1));
        byte[] note = new byte[400_000];
        Arrays.fill(note, (byte) 1);
        try (KafkaProducer<byte[], byte[]> p = compressingProducer(bs)) {
            ProducerRecord<byte[], byte[]> a = new ProducerRecord<>(in, utf8("big-json"), bigJson);
            a.headers().add(new RecordHeader("crawler", utf8("c7")));
            p.send(a);
            p.send(new ProducerRecord<>(in, null, bigMeta));
            ProducerRecord<byte[], byte[]> c = new ProducerRecord<>(in, utf8("escapes"), small);
            c.headers().add(new RecordHeader("content-type", utf8("application/x-strata-f32")));
            c.headers().add(new RecordHeader("note", note));
            p.send(c);
            ProducerRecord<byte[], byte[]> d = new ProducerRecord<>(in, new byte[] {'k', (byte) 0xff}, small);
            d.headers().add(new RecordHeader("content-type", utf8("application/x-strata-f32")));
            p.send(d);
        }
        fx.produce(bs, in, N, 2 * N, 4, 0);

        CurateConfig cfg = fx.config(bs, in, out, dlq, EmitMode.ADMISSION, LeafStrategy.RANDOM, 2 * N, 2 * N, true);
        long t0 = System.nanoTime();
        JobClient job = JobRuntime.startLocal(
                cfg, fx.tree.top().clusters(), 1, dir.resolve("cp").toString(), 500, 0);
        try {
            job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            job.cancel().get(30, TimeUnit.SECONDS);
            throw new AssertionError("the job did not finish in 3 minutes: restarting on an oversized record?", e);
        }
        System.err.printf("job with oversized records finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        Map<String, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestSupport.readAll(bs, dlq)) {
            String key = r.key() == null ? "<none>" : new String(r.key(), StandardCharsets.ISO_8859_1);
            letters.put(key, r);
            int size =
                    RecordSize.of(r.key(), r.value(), Arrays.asList(r.headers().toArray()));
            assertTrue(size <= RecordSize.DEFAULT_MAX_RECORD_BYTES, key + ": dead letter of " + size + " bytes");
        }
        assertEquals(4, letters.size(), letters.keySet().toString());

        ConsumerRecord<byte[], byte[]> j = letters.get("big-json");
        assertEquals("OVERSIZED", header(j, DeadLetter.REASON_HEADER));
        assertEquals(Integer.toString(bigJson.length), header(j, DeadLetter.ORIGINAL_SIZE_HEADER));
        assertEquals("c7", header(j, "crawler"));
        assertArrayEquals(
                Arrays.copyOf(bigJson, j.value().length), j.value(), "the value is the original's first bytes");
        assertTrue(header(j, DeadLetter.SOURCE_HEADER).startsWith(in + "-0-"));

        ConsumerRecord<byte[], byte[]> m = letters.get("<none>");
        assertEquals("OVERSIZED", header(m, DeadLetter.REASON_HEADER));
        assertEquals(Integer.toString(bigMeta.length), header(m, DeadLetter.ORIGINAL_SIZE_HEADER));

        ConsumerRecord<byte[], byte[]> e = letters.get("escapes");
        assertEquals("OVERSIZED", header(e, DeadLetter.REASON_HEADER));
        assertTrue(header(e, DeadLetter.DETAIL_HEADER).contains("curated record"), header(e, DeadLetter.DETAIL_HEADER));
        assertArrayEquals(small, e.value(), "a record that fits is kept whole");
        assertNull(e.headers().lastHeader(DeadLetter.ORIGINAL_SIZE_HEADER));

        assertEquals("INVALID_ID", header(letters.get("k\u00ff"), DeadLetter.REASON_HEADER));

        List<CuratedRecord> curated = JobFixture.curated(bs, out);
        assertFalse(curated.isEmpty());
        for (CuratedRecord c : curated) {
            int id = Integer.parseInt(c.id()); // only the well-formed items, ids 0 .. 2N-1
            assertTrue(id >= 0 && id < 2 * N, c.id());
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
