package dev.strata.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    @Test
    void keepsBytesAndHeadersAndAddsWhy() {
        byte[] key = "k1".getBytes(StandardCharsets.UTF_8);
        byte[] value = {1, 2, 3};
        List<Header> original = List.of(new RecordHeader("crawler", "c7".getBytes(StandardCharsets.UTF_8)));
        DecodeResult bad = RecordDecoder.decode(key, value, original, 8);
        DeadLetter dl = DeadLetter.of("embeddings.dlq", "my-embeddings", 3, 1234L, key, value, original, bad);

        assertEquals("embeddings.dlq", dl.topic());
        assertSame(key, dl.key());
        assertSame(value, dl.value());
        assertEquals(4, dl.headers().size());
        assertEquals("crawler", dl.headers().get(0).key());
        assertEquals("c7", dl.header("crawler"));
        assertEquals("UNPARSEABLE", dl.header(DeadLetter.REASON_HEADER));
        assertEquals(bad.detail(), dl.header(DeadLetter.DETAIL_HEADER));
        assertEquals("my-embeddings-3-1234", dl.header(DeadLetter.SOURCE_HEADER));

        ProducerRecord<byte[], byte[]> pr = dl.toProducerRecord();
        assertEquals("embeddings.dlq", pr.topic());
        assertArrayEquals(value, pr.value());
        assertEquals(4, pr.headers().toArray().length);
    }

    @Test
    void detailIsOneLine() {
        DeadLetter dl = DeadLetter.of("d", "t", 0, 0, null, null, null, InvalidReason.EMPTY_VALUE, "a\nb\tc");
        assertEquals("a b c", dl.header(DeadLetter.DETAIL_HEADER));
        assertEquals(3, dl.headers().size());
    }

    @Test
    void aValidRecordIsNotADeadLetter() {
        DecodeResult ok = RecordDecoder.decode("k".getBytes(StandardCharsets.UTF_8), "{\"embedding\":[1]}".getBytes(StandardCharsets.UTF_8), null, 1);
        assertThrows(IllegalArgumentException.class, () -> DeadLetter.of("d", "t", 0, 0, null, null, null, ok));
    }
}
