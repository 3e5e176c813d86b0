package dev.strata.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {
    private static float[] randomVector(int dim, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 4));
        }
        v[0] = Float.MIN_VALUE;
        v[1] = -Float.MAX_VALUE;
        v[2] = -0.0f;
        return v;
    }

    @Test
    void jsonRoundTripIsExact() {
        EmbeddingRecord r = new EmbeddingRecord(
                "id \"quoted\" ünï", randomVector(768, 1), "{\"url\":\"http://x\",\"tags\":[\"a\",1.5]}");
        EncodedRecord e = RecordEncoder.encode(r, WireFormat.JSON);
        assertEquals("application/json", new String(e.headers().get(0).value(), StandardCharsets.UTF_8));
        DecodeResult d = RecordDecoder.decode(e.key(), e.value(), e.headers(), 768);
        assertEquals(r, d.record());
    }

    @Test
    void f32RoundTripIsExactForStringMeta() {
        EmbeddingRecord r = new EmbeddingRecord("42", randomVector(64, 2), "{\"url\":\"http://x\",\"lang\":\"de\"}");
        EncodedRecord e = RecordEncoder.encode(r, WireFormat.F32);
        assertEquals(64 * 4, e.value().length);
        DecodeResult d = RecordDecoder.decode(e.key(), e.value(), e.headers(), 64);
        assertEquals(r, d.record());
    }

    @Test
    void f32TurnsNonStringMetaIntoJsonText() {
        EmbeddingRecord r = new EmbeddingRecord(
                "1", new float[] {1, 2}, "{\"label\":3,\"ok\":true,\"o\":{\"a\":[1, 2]},\"n\":null}");
        EncodedRecord e = RecordEncoder.encode(r, WireFormat.F32);
        EmbeddingRecord back =
                RecordDecoder.decode(e.key(), e.value(), e.headers(), 2).record();
        assertEquals("{\"label\":\"3\",\"ok\":\"true\",\"o\":\"{\\\"a\\\":[1, 2]}\",\"n\":null}", back.meta());
        assertArrayEquals(r.embedding(), back.embedding());
    }

    @Test
    void jsonFloatsUseTheirShortestForm() {
        String json = new String(
                RecordEncoder.json(new EmbeddingRecord("a", new float[] {0.1f, 1f}, "{}")), StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"a\",\"embedding\":[0.1,1.0],\"meta\":{}}", json);
    }

    @Test
    void nonFiniteEncodesAsBareTokensTheDecoderRejects() {
        EmbeddingRecord r = new EmbeddingRecord("a", new float[] {Float.NaN, 1f}, "{}");
        EncodedRecord e = RecordEncoder.encode(r, WireFormat.JSON);
        assertTrue(new String(e.value(), StandardCharsets.UTF_8).contains("[NaN,"));
        assertEquals(
                InvalidReason.NON_FINITE,
                RecordDecoder.decode(e.key(), e.value(), e.headers(), 2).reason());
    }
}
