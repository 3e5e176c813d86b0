package dev.strata.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        DecodeResult ok = RecordDecoder.decode(
                "k".getBytes(StandardCharsets.UTF_8), "{\"embedding\":[1]}".getBytes(StandardCharsets.UTF_8), null, 1);
        assertThrows(IllegalArgumentException.class, () -> DeadLetter.of("d", "t", 0, 0, null, null, null, ok));
    }

    @Test
    void anOversizedDeadLetterIsCutToFitWithItsOriginalSize() {
        int limit = RecordSize.DEFAULT_MAX_RECORD_BYTES;
        byte[] key = "big".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[2_400_000];
        Arrays.fill(value, (byte) '7');
        List<Header> original = List.of(new RecordHeader("crawler", "c7".getBytes(StandardCharsets.UTF_8)));
        DecodeResult bad = RecordDecoder.decode(key, value, original, 8);
        assertEquals(InvalidReason.OVERSIZED, bad.reason());
        DeadLetter full = DeadLetter.of("d", "t", 0, 9, key, value, original, bad);
        assertTrue(RecordSize.of(full.key(), full.value(), full.headers()) > limit);

        DeadLetter cut = full.fitTo(limit, value.length);
        int size = RecordSize.of(cut.key(), cut.value(), cut.headers());
        assertTrue(size <= limit, "cut dead letter is " + size + " bytes");
        assertTrue(size > limit - 64, "the cut keeps as much of the value as fits: " + size);
        assertArrayEquals(Arrays.copyOf(value, cut.value().length), cut.value());
        assertSame(key, cut.key());
        assertEquals("2400000", cut.header(DeadLetter.ORIGINAL_SIZE_HEADER));
        assertEquals("c7", cut.header("crawler"));
        assertEquals("OVERSIZED", cut.header(DeadLetter.REASON_HEADER));
    }

    @Test
    void aValueCutEarlierStillCarriesItsOriginalSize() {
        byte[] value = new byte[100];
        DeadLetter dl = DeadLetter.of("d", "t", 0, 0, null, value, null, InvalidReason.OVERSIZED, "x");
        assertSame(dl, dl.fitTo(1000, 100));
        DeadLetter marked = dl.fitTo(1000, 5_000_000);
        assertEquals("5000000", marked.header(DeadLetter.ORIGINAL_SIZE_HEADER));
        assertEquals(100, marked.value().length);
    }

    @Test
    void aKeyOrHeadersTooLargeToKeepAreCutToo() {
        byte[] key = new byte[3_000_000];
        Arrays.fill(key, (byte) 'k');
        List<Header> original = List.of(new RecordHeader("huge", new byte[2_000_000]));
        DeadLetter dl = DeadLetter.of("d", "t", 0, 0, key, new byte[10], original, InvalidReason.OVERSIZED, "x");
        DeadLetter cut = dl.fitTo(RecordSize.DEFAULT_MAX_RECORD_BYTES, 10);
        assertTrue(RecordSize.of(cut.key(), cut.value(), cut.headers()) <= RecordSize.DEFAULT_MAX_RECORD_BYTES);
        assertEquals(DeadLetter.KEPT_KEY_BYTES, cut.key().length);
        assertEquals("3000000", cut.header(DeadLetter.ORIGINAL_KEY_SIZE_HEADER));
        assertEquals(null, cut.header("huge"));
        assertEquals("OVERSIZED", cut.header(DeadLetter.REASON_HEADER));
        assertEquals("t-0-0", cut.header(DeadLetter.SOURCE_HEADER));
    }
}
