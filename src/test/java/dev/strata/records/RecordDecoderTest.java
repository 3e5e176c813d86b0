package dev.strata.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        byte[] v =
                bytes("{\"id\":\"a1\",\"embedding\":[1, -2.5, 3e-2],\"meta\":{\"url\": \"http://x\", \"n\": [1,2]}}");
        DecodeResult r = RecordDecoder.decode(null, v, List.of(), 3);
        assertTrue(r.isValid(), r::toString);
        assertEquals("a1", r.record().id());
        assertArrayEquals(new float[] {1f, -2.5f, 0.03f}, r.record().embedding());
        assertEquals("{\"url\": \"http://x\", \"n\": [1,2]}", r.record().meta(), "meta kept byte for byte");
    }

    @Test
    void jsonIdWinsOverKeyAndKeyFillsMissingId() {
        byte[] withId = bytes("{\"id\":\"from-json\",\"embedding\":[1,2]}");
        assertEquals(
                "from-json", RecordDecoder.decode(KEY, withId, null, 2).record().id());
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
        assertInvalid(
                InvalidReason.MISSING_ID,
                RecordDecoder.decode(new byte[0], bytes("{\"id\":\"\",\"embedding\":[1,2]}"), null, 2));
    }

    @Test
    void wrongDimension() {
        assertInvalid(
                InvalidReason.WRONG_DIMENSION, RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2,3]}"), null, 2));
        assertInvalid(InvalidReason.WRONG_DIMENSION, RecordDecoder.decode(KEY, bytes("{\"embedding\":[]}"), null, 0));
        assertInvalid(InvalidReason.WRONG_DIMENSION, RecordDecoder.decode(KEY, new byte[12], List.of(F32), 2));
    }

    @Test
    void anyDimensionWhenNoneExpected() {
        assertEquals(
                5,
                RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2,3,4,5]}"), null, 0)
                        .record()
                        .dim());
        assertEquals(
                200,
                RecordDecoder.decode(KEY, new byte[800], List.of(F32), 0)
                        .record()
                        .dim());
    }

    @Test
    void jsonNonFiniteTokensAndOverflow() {
        assertInvalid(InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,NaN]}"), null, 2));
        assertInvalid(
                InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, bytes("{\"embedding\":[Infinity,1]}"), null, 2));
        assertInvalid(
                InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, bytes("{\"embedding\":[-Infinity,1]}"), null, 2));
        assertInvalid(InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, bytes("{\"embedding\":[1e39,1]}"), null, 2));
    }

    @Test
    void aNonFiniteValueAnywhereInALongEmbeddingIsFoundAndNamed() {
        // 771 values: the check runs four sums side by side and a tail, so every lane and the tail are hit
        int dim = 771;
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001)};
        for (int at = 0; at < dim; at += at < 8 || at > dim - 8 ? 1 : 97) {
            for (float b : bad) {
                float[] v = new float[dim];
                Arrays.fill(v, Float.MAX_VALUE);
                v[at] = b;
                DecodeResult r = RecordDecoder.decode(KEY, RecordEncoder.f32(v), List.of(F32), dim);
                assertInvalid(InvalidReason.NON_FINITE, r);
                assertTrue(r.detail().startsWith("embedding[" + at + "] is "), r.detail());
            }
        }
        float[] extremes = new float[dim];
        for (int i = 0; i < dim; i++) {
            extremes[i] = i % 3 == 0 ? Float.MAX_VALUE : i % 3 == 1 ? -Float.MAX_VALUE : Float.MIN_VALUE;
        }
        assertTrue(RecordDecoder.decode(KEY, RecordEncoder.f32(extremes), List.of(F32), dim)
                .isValid());
    }

    @Test
    void binaryNonFiniteBits() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(1f).putInt(0x7fc00001); // a NaN with payload
        assertInvalid(InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, b.array(), List.of(F32), 2));
        ByteBuffer inf = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putFloat(Float.NEGATIVE_INFINITY)
                .putFloat(0);
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
            "{\"embedding\":[1,2]", // not closed
            "{\"embedding\":[1,\"x\"]}", // string element
            "{\"embedding\":[1,[2]]}", // nested array
            "{\"embedding\":\"1,2\"}", // not an array
            "{\"id\":{},\"embedding\":[1,2]}", // id not a string
            "{\"id\":\"a\"}", // no embedding
            "{\"embedding\":[1,2]} trailing", // junk after
            "{\"embedding\":[1,2],}", // trailing comma
        };
        for (String s : bad) {
            assertInvalid(InvalidReason.UNPARSEABLE, RecordDecoder.decode(KEY, bytes(s), null, 2));
        }
        assertInvalid(
                InvalidReason.UNPARSEABLE,
                RecordDecoder.decode(KEY, bytes("[1,2]"), List.of(h("content-type", "application/json")), 2));
    }

    @Test
    void metaMustBeAnObject() {
        assertInvalid(
                InvalidReason.BAD_META,
                RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2],\"meta\":\"x\"}"), null, 2));
        assertInvalid(
                InvalidReason.BAD_META,
                RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2],\"meta\":[1]}"), null, 2));
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
        assertInvalid(
                InvalidReason.UNSUPPORTED_CONTENT_TYPE,
                RecordDecoder.decode(KEY, bytes("{\"embedding\":[1,2]}"), List.of(h("content-type", "text/csv")), 2));
    }

    @Test
    void binaryMetaFromHeadersSkipsReservedOnes() {
        float[] v = {0.25f, -1f};
        List<Header> hs =
                List.of(F32, h("url", "http://a"), h("strata.dlq.reason", "X"), h("lang", null), h("url", "http://b"));
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
        DecodeResult r = RecordDecoder.decode(
                KEY, bytes("{\"embedding\":[1,2]}"), List.of(h("Content-Type", "Application/JSON; charset=utf-8")), 2);
        assertTrue(r.isValid(), r::toString);
    }

    @Test
    void decodes768FloatJsonExactly() {
        // the speed of decoding is a benchmark figure (strata benchmark-stream, "decoding alone"), not a test
        Random rnd = new Random(3);
        float[] v = new float[768];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        byte[] json = RecordEncoder.json(new EmbeddingRecord("x", v, "{\"k\":1}"));
        for (int i = 0; i < 3; i++) {
            var r = RecordDecoder.decode(KEY, json, null, 768);
            assertTrue(r.isValid());
            assertArrayEquals(v, r.record().embedding());
            assertEquals("{\"k\":1}", r.record().meta());
        }
    }

    // ------------------------------------------------------------ sizes (issue 7, item 1)

    /** A JSON value of about {@code bytes} bytes: an embedding of zeros far longer than any model's. */
    private static byte[] hugeJson(int bytes) {
        byte[] head = bytes("{\"id\":\"big\",\"embedding\":[0");
        byte[] v = new byte[bytes];
        System.arraycopy(head, 0, v, 0, head.length);
        int i = head.length;
        for (; i + 2 < bytes - 2; i += 2) {
            v[i] = ',';
            v[i + 1] = '0';
        }
        v[i++] = ']';
        v[i++] = '}';
        while (i < bytes) {
            v[i++] = ' ';
        }
        return v;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void aRecordOverTheDefaultLimitIsOversizedBeforeItIsParsed() {
        byte[] v = hugeJson(2_400_000);
        DecodeResult r = RecordDecoder.decode(KEY, v, List.of(h("crawler", "c7")), 768);
        assertInvalid(InvalidReason.OVERSIZED, r);
        assertTrue(
                r.detail().contains("over the limit of " + RecordSize.DEFAULT_MAX_RECORD_BYTES + " bytes"), r.detail());
        // just under the limit it is decoded (and is the wrong dimension)
        assertInvalid(InvalidReason.WRONG_DIMENSION, RecordDecoder.decode(KEY, hugeJson(1_000_000), null, 768));
    }

    @Test
    void aHundredMegabyteRecordCostsNoHeapBeyondItsBytes() {
        byte[] v = hugeJson(100_000_000);
        long before = allocatedBytes();
        DecodeResult r = RecordDecoder.decode(KEY, v, null, 768);
        long refused = allocatedBytes() - before;
        assertInvalid(InvalidReason.OVERSIZED, r);

        // with the limit lifted, the embedding still never grows past the model's dimension
        before = allocatedBytes();
        DecodeResult parsed = RecordDecoder.decode(KEY, v, null, new InputRules(768, false, Integer.MAX_VALUE, -1));
        long decoded = allocatedBytes() - before;
        assertInvalid(InvalidReason.WRONG_DIMENSION, parsed);
        assertTrue(parsed.detail().startsWith("embedding has 49999"), parsed.detail());
        System.err.printf(
                "100 MB JSON record: %d bytes allocated when refused by size, %d when parsed%n", refused, decoded);
        assertTrue(refused < 1_000_000, "refusing by size allocated " + refused + " bytes");
        assertTrue(decoded < 16_000_000, "parsing a wrong-dimension embedding allocated " + decoded + " bytes");
    }

    @Test
    void aValidRecordWhoseCuratedRecordWouldBeTooLargeIsOversized() {
        // 300 KB of control characters in a header: each becomes a 6-byte JSON escape in meta
        byte[] note = new byte[300_000];
        Arrays.fill(note, (byte) 1);
        List<Header> hs = List.of(F32, new RecordHeader("note", note));
        InputRules rules = new InputRules(
                2, false, RecordSize.DEFAULT_MAX_RECORD_BYTES, CuratedRecord.fixedSizeBound("0123456789abcdef", 3));
        DecodeResult r = RecordDecoder.decode(KEY, RecordEncoder.f32(new float[] {1, 2}), hs, rules);
        assertInvalid(InvalidReason.OVERSIZED, r);
        assertTrue(r.detail().contains("curated record"), r.detail());
        List<Header> small = List.of(F32, new RecordHeader("note", Arrays.copyOf(note, 1000)));
        assertTrue(RecordDecoder.decode(KEY, RecordEncoder.f32(new float[] {1, 2}), small, rules)
                .isValid());
    }

    // ------------------------------------------------------------ ids (issue 7, item 4)

    @Test
    void keysThatAreNotUtf8AreInvalidIdsNotReplacementCharacters() {
        byte[] a = {'i', 'd', (byte) 0xff};
        byte[] b = {'i', 'd', (byte) 0xfe};
        byte[] overlong = {'i', 'd', (byte) 0xc0, (byte) 0xaf};
        byte[] surrogate = {'i', 'd', (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        byte[] truncated = {'i', 'd', (byte) 0xe2, (byte) 0x82};
        for (byte[] key : List.of(a, b, overlong, surrogate, truncated)) {
            DecodeResult f32 = RecordDecoder.decode(key, RecordEncoder.f32(new float[] {1, 2}), List.of(F32), 2);
            assertInvalid(InvalidReason.INVALID_ID, f32);
            assertTrue(f32.detail().contains("not valid UTF-8"), f32.detail());
            assertInvalid(InvalidReason.INVALID_ID, RecordDecoder.decode(key, bytes("{\"embedding\":[1,2]}"), null, 2));
        }
        // the key is not the id when the JSON has one: any bytes may steer partitioning
        DecodeResult withId = RecordDecoder.decode(a, bytes("{\"id\":\"x\",\"embedding\":[1,2]}"), null, 2);
        assertEquals("x", withId.record().id());
        // valid multi-byte UTF-8 keys are ids as they are
        assertEquals(
                "caf\u00e9-\ud83d\ude00",
                RecordDecoder.decode(
                                bytes("caf\u00e9-\ud83d\ude00"), RecordEncoder.f32(new float[] {1, 2}), List.of(F32), 2)
                        .record()
                        .id());
    }

    @Test
    void jsonIdsWithLoneSurrogatesAreInvalid() {
        for (String id : List.of("\\ud800", "a\\udc00b", "\\ud83d")) {
            DecodeResult r = RecordDecoder.decode(null, bytes("{\"id\":\"" + id + "\",\"embedding\":[1,2]}"), null, 2);
            assertInvalid(InvalidReason.INVALID_ID, r);
        }
        DecodeResult pair =
                RecordDecoder.decode(null, bytes("{\"id\":\"\\ud83d\\ude00\",\"embedding\":[1,2]}"), null, 2);
        assertEquals("\ud83d\ude00", pair.record().id());
    }

    // ------------------------------------------------------------ garbage (issue 7, item 5)

    @Test
    void zeroOrVanishingVectorsHaveNoDirectionUnderCosine() {
        InputRules cosine = new InputRules(3, true, RecordSize.DEFAULT_MAX_RECORD_BYTES, -1);
        assertInvalid(
                InvalidReason.ZERO_NORM, RecordDecoder.decode(KEY, bytes("{\"embedding\":[0,0,-0.0]}"), null, cosine));
        assertInvalid(
                InvalidReason.ZERO_NORM,
                RecordDecoder.decode(
                        KEY, RecordEncoder.f32(new float[] {Float.MIN_VALUE, 0, 0}), List.of(F32), cosine));
        assertTrue(RecordDecoder.decode(KEY, RecordEncoder.f32(new float[] {1e-30f, 0, 0}), List.of(F32), cosine)
                .isValid());
        // NaN is reported as such, not as a missing direction
        assertInvalid(
                InvalidReason.NON_FINITE, RecordDecoder.decode(KEY, bytes("{\"embedding\":[0,NaN,0]}"), null, cosine));
        // under L2 the origin is a point like any other
        assertTrue(RecordDecoder.decode(KEY, bytes("{\"embedding\":[0,0,0]}"), null, 3)
                .isValid());
    }

    @Test
    void headerlessTextIsNeverReadAsFloat32WhateverItsLength() {
        // malformed JSON of exactly 4 x dim bytes, with a key and no content-type
        String broken = "{\"id\":\"a\",\"embedding\":[1,2,3,4,5";
        assertEquals(0, broken.length() % 4);
        DecodeResult r = RecordDecoder.decode(KEY, bytes(broken), null, broken.length() / 4);
        assertInvalid(InvalidReason.UNPARSEABLE, r);
        assertTrue(r.detail().startsWith("malformed JSON"), r.detail());
        // text that is not JSON at all, also 4 x dim bytes
        assertInvalid(InvalidReason.UNPARSEABLE, RecordDecoder.decode(KEY, bytes("hello, world"), null, 3));
        assertInvalid(InvalidReason.UNPARSEABLE, RecordDecoder.decode(KEY, bytes("[1.0, 2.0, 3.0]\n"), null, 4));
    }
}
