package dev.strata.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.records.DeadLetter;
import dev.strata.records.RecordEncoder;
import dev.strata.records.RecordSize;
import dev.strata.vector.FloatMatrix;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The decoding stage of the job with the rules its model sets, and what it hands the dead-letter sink. */
class InputDeserializerTest {
    private static ClusterTree tree(Metric metric) {
        ClusterLevel leaves = new ClusterLevel(FloatMatrix.zeros(2, 3), new int[] {0, 0}, new long[2]);
        ClusterLevel top = new ClusterLevel(FloatMatrix.zeros(1, 3), new int[] {-1}, new long[1]);
        return new ClusterTree(metric, 3, List.of(leaves, top), null, "0123456789abcdef");
    }

    private static InputEvent deserialize(InputDeserializer d, byte[] key, byte[] value, RecordHeaders headers) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(
                "embeddings",
                2,
                41L,
                0L,
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                value == null ? -1 : value.length,
                key,
                value,
                headers,
                Optional.empty());
        List<InputEvent> out = new ArrayList<>();
        d.deserialize(r, new Collector<>() {
            public void collect(InputEvent e) {
                out.add(e);
            }

            public void close() {}
        });
        assertEquals(1, out.size());
        return out.get(0);
    }

    @Test
    void aCosineModelRefusesVectorsWithoutDirection() {
        InputDeserializer cosine = new InputDeserializer(InputDeserializer.rulesFor(tree(Metric.COSINE), 1 << 20));
        byte[] key = "z".getBytes(StandardCharsets.UTF_8);
        InputEvent zero = deserialize(cosine, key, RecordEncoder.f32(new float[3]), f32());
        assertEquals("ZERO_NORM", zero.reason);
        assertEquals("embeddings", zero.sourceTopic);
        assertEquals(2, zero.sourcePartition);
        assertEquals(41, zero.sourceOffset);
        InputEvent ok = deserialize(cosine, key, RecordEncoder.f32(new float[] {0, 0, 1}), f32());
        assertTrue(ok.valid());

        InputDeserializer l2 = new InputDeserializer(InputDeserializer.rulesFor(tree(Metric.L2), 1 << 20));
        assertTrue(deserialize(l2, key, RecordEncoder.f32(new float[3]), f32()).valid());
    }

    @Test
    void anOversizedValueIsCutAtOnceAndItsDeadLetterFits() {
        int limit = RecordSize.DEFAULT_MAX_RECORD_BYTES;
        InputDeserializer d = new InputDeserializer(InputDeserializer.rulesFor(tree(Metric.L2), limit));
        byte[] value = new byte[5_000_000];
        Arrays.fill(value, (byte) '0');
        value[0] = '{';
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("crawler", "c7".getBytes(StandardCharsets.UTF_8)));
        InputEvent e = deserialize(d, "big".getBytes(StandardCharsets.UTF_8), value, headers);
        assertEquals("OVERSIZED", e.reason);
        assertEquals(limit, e.value.length, "no later stage copies more than the limit");
        assertEquals(5_000_000, e.originalValueSize);

        var record = new DeadLetterSerializer("embeddings.dlq", limit).serialize(e, null, null);
        assertTrue(RecordSize.of(record.key(), record.value(), record.headers()) <= limit);
        assertEquals(
                "5000000",
                new String(
                        record.headers()
                                .lastHeader(DeadLetter.ORIGINAL_SIZE_HEADER)
                                .value(),
                        StandardCharsets.UTF_8));
        assertEquals("c7", new String(record.headers().lastHeader("crawler").value(), StandardCharsets.UTF_8));
        assertArrayEquals(Arrays.copyOf(value, record.value().length), record.value());
    }

    @Test
    void aDeadLetterThatFitsIsWrittenUnchanged() {
        InputDeserializer d = new InputDeserializer(InputDeserializer.rulesFor(tree(Metric.L2), 1 << 20));
        byte[] value = {1, 2, 3};
        InputEvent e = deserialize(d, "k".getBytes(StandardCharsets.UTF_8), value, new RecordHeaders());
        assertEquals("UNPARSEABLE", e.reason);
        var record = new DeadLetterSerializer("embeddings.dlq", 1 << 20).serialize(e, null, null);
        assertArrayEquals(value, record.value());
        assertNull(record.headers().lastHeader(DeadLetter.ORIGINAL_SIZE_HEADER));
    }

    private static RecordHeaders f32() {
        RecordHeaders h = new RecordHeaders();
        h.add(new RecordHeader("content-type", "application/x-strata-f32".getBytes(StandardCharsets.UTF_8)));
        return h;
    }
}
