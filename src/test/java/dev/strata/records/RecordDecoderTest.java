package dev.strata.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
    private static final byte[] KEY = bytes("item-7");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Header h(String k, String v) {
        return new RecordHeader(k, v == null ? null : bytes(v));
    }

    private static final Header F32 = h("content-type", "application/x-strata-f32");

    private static void assertInvalid(InvalidReason reason, DecodeResult r) {
        assertFalse(r.isValid(), () -> "expected " + reason + " but was " + r);
        assertEquals(reason, r.reason(), r::toString);
        assertFalse(r.detail().isBlank());
        assertFalse(r.detail().contains("\n"));
    }

    @Test
    void jsonWithIdEmbeddingAndMeta() {
        byte[] v = bytes("{\"id\":\"a1\",\"embedding\":[1, -2.5, 3e-2],\"meta\":{\"url\": \"http://x\", \"n\": [1,2]}}");
        DecodeResult r = RecordDecoder.decode(null, v, List.of(), 3);
        assertTrue(r.isValid(), r::toString);
        assertEquals("a1", r.record().id());
        assertArrayEquals(new float[]{1f, -2.5f, 0.03f}, r.record().embedding());
        assertEquals("{\"url\": \"http://x\", \"n\": [1,2]}", r.record().meta(), "meta kept byte for byte");
    }

    @Test
    void jsonIdWinsOverKeyAndKeyFillsMissingId() {
        byte[] withId = bytes("{\"id\":\"from-json\",\"embedding\":[1,2]}");
        assertEquals("from-json", RecordDecoder.decode(KEY, withId, null, 2).record().id());
        byte[] noId = bytes("{\"embedding\":[1,2]}");
        DecodeResult r = RecordDecoder.decode(KEY, noId, null, 2);
        assertEquals("item-7", r.record().id());
        assertEquals("{}", r.record().meta());
    }

    @Test
    void jsonUnknownFieldsAndNumericIdAreAccepted() {
        byte[] v = bytes("  {\"v\":2,\"id\":42,\"extra\":{\"a\":[1,{}]},\"embedding\":[0.5],\"meta\":null}\n");
        DecodeResult r = RecordDecoder.decode(null, v, null, 1);
        assertEquals("42", r.record().id());
        assertEquals("{}", r.record().meta());
    }

    @Test
    void jsonWithoutIdOrKeyIsMissingId() {
        assertInvalid(InvalidReason.MISSING_ID, RecordDecoder.decode(null, bytes("{\"embedding\":[1,2]}"), null, 2));
        assertInvalid(InvalidReason.MISSING_ID, RecordDecoder.decode(new byte[0], bytes("{\"id\":\"\",\"embedding\":[1,2]}"), null, 2));
    }

    @Test
    void wrongDimension() {
        assertInvalid(InvalidReason.WRONG_DIMENSION, RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2,3]}"), null, 2));
        assertInvalid(InvalidReason.WRONG_DIMENSION, RecordDecoder.decode(KEY, bytes("{\"embedding\":[]}"), null, 0));
        assertInvalid(InvalidReason.WRONG_DIMENSION, RecordDecoder.decode(KEY, new byte[12], List.of(F32), 2));
    }

    @Test
    void anyDimensionWhenNoneExpected() {
        assertEquals(5, RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2,3,4,5]}"), null, 0).record().dim());
        assertEquals(200, RecordDecoder.decode(KEY, new byte[800], List.of(F32), 0).record().dim());
    }

    @Test
    void jsonNonFiniteTokensAndOverflow() {
        assertInvalid(InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,NaN]}"), null, 2));
        assertInvalid(InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, bytes("{\"embedding\":[Infinity,1]}"), null, 2));
        assertInvalid(InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, bytes("{\"embedding\":[-Infinity,1]}"), null, 2));
        assertInvalid(InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, bytes("{\"embedding\":[1e39,1]}"), null, 2));
    }

    @Test
    void binaryNonFiniteBits() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1f).putInt(0x7fc00001); // a NaN with payload
        assertInvalid(InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, b.array(), List.of(F32), 2));
        ByteBuffer inf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NEGATIVE_INFINITY).putFloat(0);
        assertInvalid(InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, inf.array(), null, 2));
    }

    @Test
    void emptyAndNullValues() {
        assertInvalid(InvalidReason.EMPTY_VALUE, RecordDecoder.decode(KEY, null, null, 2));
        assertInvalid(InvalidReason.EMPTY_VALUE, RecordDecoder.decode(KEY, new byte[0], List.of(F32), 2));
    }

    @Test
    void garbageBytesAreUnparseable() {
        byte[] garbage = {0x01, 0x02, 0x03, (byte) 0xff, 0x10};
        assertInvalid(InvalidReason.UNPARSEABLE, RecordDecoder.decode(KEY, garbage, null, 2));
        Random rnd = new Random(1);
        for (int i = 0; i < 2000; i++) {
            byte[] v = new byte[rnd.nextInt(40)];
            rnd.nextBytes(v);
            if (i % 3 == 0 && v.length > 0) {
                v[0] = '{';
            }
            DecodeResult r = RecordDecoder.decode(i % 2 == 0 ? KEY : null, v, null, 3); // must never throw
            if (!r.isValid()) {
                assertFalse(r.detail().isBlank());
            }
        }
    }

    @Test
    void malformedJsonShapes() {
        String[] bad = {
            "{\"embedding\":[1,2]",                 // not closed
            "{\"embedding\":[1,\"x\"]}",           // string element
            "{\"embedding\":[1,[2]]}",             // nested array
            "{\"embedding\":\"1,2\"}",             // not an array
            "{\"id\":{},\"embedding\":[1,2]}",     // id not a string
            "{\"id\":\"a\"}",                       // no embedding
            "{\"embedding\":[1,2]} trailing",       // junk after
            "{\"embedding\":[1,2],}",               // trailing comma
        };
        for (String s : bad) {
            assertInvalid(InvalidReason.UNPARSEABLE, RecordDecoder.decode(KEY, bytes(s), null, 2));
        }
        assertInvalid(InvalidReason.UNPARSEABLE, RecordDecoder.decode(KEY, bytes("[1,2]"),
                List.of(h("content-type", "application/json")), 2));
    }

    @Test
    void metaMustBeAnObject() {
        assertInvalid(InvalidReason.BAD_META, RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2],\"meta\":\"x\"}"), null, 2));
        assertInvalid(InvalidReason.BAD_META, RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2],\"meta\":[1]}"), null, 2));
    }

    @Test
    void truncatedBinary() {
        assertInvalid(InvalidReason.UNPARSEABLE, RecordDecoder.decode(KEY, new byte[3070], List.of(F32), 768));
        assertInvalid(InvalidReason.UNPARSEABLE, RecordDecoder.decode(KEY, new byte[3070], null, 768));
    }

    @Test
    void binaryNeedsAKey() {
        assertInvalid(InvalidReason.MISSING_ID, RecordDecoder.decode(null, new byte[8], List.of(F32), 2));
        assertInvalid(InvalidReason.MISSING_ID, RecordDecoder.decode(new byte[0], new byte[8], null, 2));
    }

    @Test
    void unknownContentType() {
        assertInvalid(InvalidReason.UNSUPPORTED_CONTENT_TYPE,
                RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2]}"), List.of(h("content-type", "text/csv")), 2));
    }

    @Test
    void binaryMetaFromHeadersSkipsReservedOnes() {
        float[] v = {0.25f, -1f};
        List<Header> hs = List.of(F32, h("url", "http://a"), h("strata.dlq.reason", "X"), h("lang", null), h("url", "http://b"));
        DecodeResult r = RecordDecoder.decode(KEY, RecordEncoder.f32(v), hs, 2);
        assertArrayEquals(v, r.record().embedding());
        assertEquals("item-7", r.record().id());
        assertEquals("{\"url\":\"http://b\",\"lang\":null}", r.record().meta());
    }

    @Test
    void headerlessBinaryWhoseFirstByteIsABraceIsStillBinary() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) '{').put(1, (byte) 0x01).put(2, (byte) 0x20).put(3, (byte) 0x3f);
        b.putFloat(4, 1f).putFloat(8, 2f).putFloat(12, 3f);
        DecodeResult r = RecordDecoder.decode(KEY, b.array(), null, 4);
        assertTrue(r.isValid(), r::toString);
        assertEquals(b.getFloat(0), r.record().embedding()[0]);
    }

    @Test
    void contentTypeParametersAndCaseAreIgnored() {
        DecodeResult r = RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2]}"),
                List.of(h("Content-Type", "Application/JSON; charset=utf-8")), 2);
        assertTrue(r.isValid(), r::toString);
    }

    @Test
    void decodes768FloatJsonQuickly() {
        Random rnd = new Random(3);
        float[] v = new float[768];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        byte[] json = RecordEncoder.json(new EmbeddingRecord("x", v, "{\"k\":1}"));
        int n = 20_000;
        for (int i = 0; i < n; i++) { // warm up
            RecordDecoder.decode(KEY, json, null, 768);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            assertTrue(RecordDecoder.decode(KEY, json, null, 768).isValid());
        }
        double perSecond = n / ((System.nanoTime() - t0) / 1e9);
        System.err.printf("JSON decode, 768-d: %.0f records/s (%d bytes each)%n", perSecond, json.length);
        // generous floor for a shared 2-core machine; the tree model managed far less
        assertTrue(perSecond > 5_000, "JSON decoding too slow: " + perSecond + " records/s");
    }
}
