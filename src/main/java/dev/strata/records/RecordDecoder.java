package dev.strata.records;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.header.Header;

/**
 * Turns the bytes of one input Kafka record into an {@link EmbeddingRecord}, or says why it
 * cannot. Bad input never throws: every failure is a {@link DecodeResult} with an
 * {@link InvalidReason}, so the job can route it to the dead-letter topic and keep going.
 *
 * <p>Size comes first: a record over {@link InputRules#maxRecordBytes} is OVERSIZED before any
 * byte of it is parsed, and a JSON embedding never grows past the model's dimension, so a huge
 * record costs no heap beyond its own bytes.
 *
 * <p>Format detection (docs/record-format.md has the full rules), from evidence, not length:
 * <ol>
 *   <li>a {@code content-type} header decides: {@code application/json} or
 *       {@code application/x-strata-f32}; any other value is UNSUPPORTED_CONTENT_TYPE;</li>
 *   <li>without the header, a value whose first non-blank byte is '{' is JSON; if it does not
 *       parse, it is read as f32 only if it cannot be JSON text at all ({@link TextBytes}: a
 *       float's low byte is '{' once in 256 vectors, but a vector is practically never text),
 *       has exactly the bytes of one vector, and a key;</li>
 *   <li>otherwise text is UNPARSEABLE, and binary with a key and a length that is a multiple of
 *       4 is f32.</li>
 * </ol>
 * In JSON, the "id" field wins over the Kafka key: the value is the self-describing record and
 * some producers key by something else (a host, a shard) to control partitioning. The key is
 * the id only when the JSON has none, and always for f32.
 */
public final class RecordDecoder {
    /** Header names under this prefix are Strata's own (dead-letter info) and never become meta. */
    public static final String RESERVED_HEADER_PREFIX = "strata.";

    private RecordDecoder() {}

    /**
     * Decodes with the dimension check and the default size limit only ({@link InputRules#of}).
     *
     * @param key         the Kafka key (the item id in UTF-8), may be null
     * @param value       the Kafka value, may be null
     * @param headers     the record's headers, may be null
     * @param expectedDim the model's dimension; 0 or less accepts any non-empty embedding
     */
    public static DecodeResult decode(byte[] key, byte[] value, Iterable<Header> headers, int expectedDim) {
        return decode(key, value, headers, InputRules.of(expectedDim));
    }

    public static DecodeResult decode(byte[] key, byte[] value, Iterable<Header> headers, InputRules rules) {
        try {
            return decodeUnguarded(key, value, headers, rules);
        } catch (RuntimeException e) {
            // a last guard: a crawler's bytes must never take the job down
            return DecodeResult.invalid(InvalidReason.UNPARSEABLE, "decoder failed: " + oneLine(String.valueOf(e)));
        }
    }

    private static DecodeResult decodeUnguarded(byte[] key, byte[] value, Iterable<Header> headers, InputRules rules) {
        if (value == null) {
            return DecodeResult.invalid(InvalidReason.EMPTY_VALUE, "value is null (a tombstone on the input topic)");
        }
        if (value.length == 0) {
            return DecodeResult.invalid(InvalidReason.EMPTY_VALUE, "value is empty");
        }
        int size = RecordSize.of(key, value, headers);
        if (size > rules.maxRecordBytes()) {
            return DecodeResult.invalid(
                    InvalidReason.OVERSIZED,
                    "record of " + size + " bytes (value " + value.length + ") is over the limit of "
                            + rules.maxRecordBytes() + " bytes");
        }
        DecodeResult decoded = decodeFormat(key, value, headers, rules);
        return decoded.isValid() ? checkCuratedSize(decoded, rules) : decoded;
    }

    private static DecodeResult decodeFormat(byte[] key, byte[] value, Iterable<Header> headers, InputRules rules) {
        int expectedDim = rules.dim();
        String contentType = lastHeader(headers, WireFormat.CONTENT_TYPE_HEADER);
        if (contentType != null) {
            WireFormat format = WireFormat.ofContentType(contentType);
            if (format == null) {
                return DecodeResult.invalid(
                        InvalidReason.UNSUPPORTED_CONTENT_TYPE,
                        "content-type '" + oneLine(contentType) + "' is neither " + WireFormat.JSON.contentType()
                                + " nor " + WireFormat.F32.contentType());
            }
            return format == WireFormat.JSON ? decodeJson(key, value, rules) : decodeF32(key, value, headers, rules);
        }
        boolean hasKey = key != null && key.length > 0;
        if (startsLikeJsonObject(value)) {
            DecodeResult json = decodeJson(key, value, rules);
            if (!json.isValid()
                    && json.reason() == InvalidReason.UNPARSEABLE
                    && hasKey
                    && expectedDim > 0
                    && value.length == 4L * expectedDim
                    && !TextBytes.couldBeJson(value)) {
                return decodeF32(key, value, headers, rules);
            }
            return json;
        }
        if (TextBytes.couldBeJson(value)) {
            return DecodeResult.invalid(
                    InvalidReason.UNPARSEABLE,
                    "value of " + value.length
                            + " bytes is text but not a JSON object; send {\"id\": ..., \"embedding\": [...]} or float32 bytes");
        }
        if (value.length % 4 == 0) {
            if (!hasKey) {
                return DecodeResult.invalid(
                        InvalidReason.MISSING_ID,
                        "value of " + value.length
                                + " bytes is not JSON and, read as float32s, has no key to carry the id");
            }
            return decodeF32(key, value, headers, rules);
        }
        return DecodeResult.invalid(
                InvalidReason.UNPARSEABLE,
                "value of " + value.length
                        + " bytes is neither a JSON object nor a whole number of float32s; set header content-type to say which");
    }

    // ---------------------------------------------------------------- f32

    private static DecodeResult decodeF32(byte[] key, byte[] value, Iterable<Header> headers, InputRules rules) {
        int expectedDim = rules.dim();
        if (value.length % 4 != 0) {
            return DecodeResult.invalid(
                    InvalidReason.UNPARSEABLE,
                    "f32 value of " + value.length + " bytes is not a whole number of float32s (truncated?)");
        }
        if (key == null || key.length == 0) {
            return DecodeResult.invalid(InvalidReason.MISSING_ID, "f32 record has no key; the key carries the id");
        }
        String id = Ids.fromKey(key);
        if (id == null) {
            return DecodeResult.invalid(InvalidReason.INVALID_ID, Ids.keyProblem(key));
        }
        int n = value.length / 4;
        if (expectedDim > 0 && n != expectedDim) {
            return DecodeResult.invalid(
                    InvalidReason.WRONG_DIMENSION, "embedding has " + n + " floats, expected " + expectedDim);
        }
        float[] embedding = new float[n];
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(embedding);
        DecodeResult bad = checkValues(embedding, rules);
        if (bad != null) {
            return bad;
        }
        return DecodeResult.valid(new EmbeddingRecord(id, embedding, metaFromHeaders(headers)));
    }

    /** Headers become string fields of the meta object; the last of repeated keys wins. */
    private static String metaFromHeaders(Iterable<Header> headers) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (headers != null) {
            for (Header h : headers) {
                String k = h.key();
                if (k == null
                        || k.equalsIgnoreCase(WireFormat.CONTENT_TYPE_HEADER)
                        || k.startsWith(RESERVED_HEADER_PREFIX)) {
                    continue;
                }
                fields.put(k, h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        if (fields.isEmpty()) {
            return "{}";
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Whether no value is NaN or infinite: x - x is 0 for a finite x and NaN otherwise, and a sum
     * with a NaN in it is NaN. Four independent sums, because one running check (or one sum) is a
     * chain of 768 dependent steps: with this, and the squared norm left to cosine models, a warm
     * decoder reads d = 768 f32 records 1.3-1.6x faster (docs/benchmarks.md, Streaming).
     */
    static boolean allFinite(float[] v) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 4 <= v.length; i += 4) {
            s0 += v[i] - v[i];
            s1 += v[i + 1] - v[i + 1];
            s2 += v[i + 2] - v[i + 2];
            s3 += v[i + 3] - v[i + 3];
        }
        for (; i < v.length; i++) {
            s0 += v[i] - v[i];
        }
        return s0 + s1 + s2 + s3 == 0f;
    }

    // ---------------------------------------------------------------- JSON

    private static DecodeResult decodeJson(byte[] key, byte[] value, InputRules rules) {
        int expectedDim = rules.dim();
        String id = null;
        float[] embedding = null;
        int dim = 0;
        String meta = "{}";
        String badMeta = null;
        try (JsonParser p = Json.FACTORY.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return unparseable("JSON value is not an object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "id" -> {
                        if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT) {
                            id = p.getText();
                            int lone = Ids.loneSurrogate(id);
                            if (lone >= 0) {
                                return DecodeResult.invalid(
                                        InvalidReason.INVALID_ID,
                                        String.format(
                                                "\"id\" has an unpaired surrogate \\u%04x at character %d: not writable as UTF-8",
                                                (int) id.charAt(lone), lone));
                            }
                        } else if (v != JsonToken.VALUE_NULL) {
                            return unparseable("\"id\" is " + describe(v) + ", expected a string");
                        }
                    }
                    case "embedding" -> {
                        if (v == JsonToken.VALUE_NULL) {
                            embedding = null;
                        } else if (v != JsonToken.START_ARRAY) {
                            return unparseable("\"embedding\" is " + describe(v) + ", expected an array of numbers");
                        } else {
                            float[] buf = new float[expectedDim > 0 ? expectedDim : 64];
                            int n = 0;
                            JsonToken e;
                            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                                if (e != JsonToken.VALUE_NUMBER_FLOAT && e != JsonToken.VALUE_NUMBER_INT) {
                                    return unparseable(
                                            "embedding[" + n + "] is " + describe(e) + ", expected a number");
                                }
                                if (n < buf.length) {
                                    buf[n] = p.getFloatValue();
                                } else if (expectedDim <= 0) {
                                    // no dimension to hold it to: growth is bounded by the value's size
                                    buf = Arrays.copyOf(buf, buf.length * 2);
                                    buf[n] = p.getFloatValue();
                                }
                                // past the model's dimension the record is WRONG_DIMENSION: count, keep nothing
                                n++;
                            }
                            embedding = buf;
                            dim = n;
                        }
                    }
                    case "meta" -> {
                        if (v == JsonToken.START_OBJECT) {
                            // keep the crawler's bytes: slicing is lossless where re-serializing is not
                            long start = p.currentTokenLocation().getByteOffset();
                            p.skipChildren();
                            long end = p.currentTokenLocation().getByteOffset() + 1;
                            meta = new String(value, (int) start, (int) (end - start), StandardCharsets.UTF_8);
                            badMeta = null;
                        } else if (v == JsonToken.VALUE_NULL) {
                            meta = "{}";
                            badMeta = null;
                        } else {
                            p.skipChildren();
                            badMeta = "\"meta\" is " + describe(v) + ", expected a JSON object";
                        }
                    }
                    default -> p.skipChildren(); // unknown fields are allowed, for forward compatibility
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return unparseable("JSON object is not closed");
            }
            if (p.nextToken() != null) {
                return unparseable("trailing data after the JSON object");
            }
        } catch (JsonProcessingException e) {
            return unparseable("malformed JSON: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            return unparseable("unreadable JSON: " + oneLine(String.valueOf(e.getMessage())));
        }
        if (embedding == null) {
            return unparseable("JSON has no \"embedding\" array");
        }
        if (id == null || id.isEmpty()) {
            if (key == null || key.length == 0) {
                return DecodeResult.invalid(InvalidReason.MISSING_ID, "JSON has no \"id\" and the record has no key");
            }
            id = Ids.fromKey(key);
            if (id == null) {
                return DecodeResult.invalid(InvalidReason.INVALID_ID, Ids.keyProblem(key) + "; JSON has no \"id\"");
            }
        }
        if (dim == 0 || (expectedDim > 0 && dim != expectedDim)) {
            return DecodeResult.invalid(
                    InvalidReason.WRONG_DIMENSION,
                    "embedding has " + dim + " floats, expected "
                            + (expectedDim > 0 ? String.valueOf(expectedDim) : "at least 1"));
        }
        if (embedding.length != dim) {
            embedding = Arrays.copyOf(embedding, dim);
        }
        DecodeResult bad = checkValues(embedding, rules);
        if (bad != null) {
            return bad;
        }
        if (badMeta != null) {
            return DecodeResult.invalid(InvalidReason.BAD_META, badMeta);
        }
        return DecodeResult.valid(new EmbeddingRecord(id, embedding, meta));
    }

    // ---------------------------------------------------------------- helpers

    /** NON_FINITE, then ZERO_NORM when the model needs a direction; null when the values are usable. */
    private static DecodeResult checkValues(float[] embedding, InputRules rules) {
        if (!allFinite(embedding)) {
            for (int i = 0; i < embedding.length; i++) {
                if (!Float.isFinite(embedding[i])) {
                    return DecodeResult.invalid(InvalidReason.NON_FINITE, "embedding[" + i + "] is " + embedding[i]);
                }
            }
        }
        if (!rules.needsDirection()) {
            return null;
        }
        double sumSq = 0;
        for (float x : embedding) {
            sumSq += (double) x * x;
        }
        // the same arithmetic as FloatMatrix.normalizeRows: no unit vector when the norm is 0, or so
        // small that its inverse overflows float32 (the components would become infinite or NaN)
        if (sumSq == 0 || Float.isInfinite((float) (1.0 / Math.sqrt(sumSq)))) {
            return DecodeResult.invalid(
                    InvalidReason.ZERO_NORM,
                    String.format(
                            Locale.ROOT,
                            "embedding has norm %.3g: no direction for the cosine model to compare",
                            Math.sqrt(sumSq)));
        }
        return null;
    }

    /** A valid item whose curated record would be over the size limit is refused now, before it takes a quota. */
    private static DecodeResult checkCuratedSize(DecodeResult decoded, InputRules rules) {
        if (rules.curatedFixedBytes() < 0) {
            return decoded;
        }
        EmbeddingRecord r = decoded.record();
        long bound = CuratedRecord.sizeBound(r.id(), r.meta(), rules.curatedFixedBytes());
        if (bound <= rules.maxRecordBytes()) {
            return decoded;
        }
        return DecodeResult.invalid(
                InvalidReason.OVERSIZED,
                "its curated record would take up to " + bound + " bytes (meta "
                        + r.meta().length() + " chars), over the limit of " + rules.maxRecordBytes() + " bytes");
    }

    private static boolean startsLikeJsonObject(byte[] value) {
        for (byte b : value) {
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                continue;
            }
            return b == '{';
        }
        return false;
    }

    static String lastHeader(Iterable<Header> headers, String name) {
        if (headers == null) {
            return null;
        }
        String found = null;
        for (Header h : headers) {
            if (h.key() != null && h.key().equalsIgnoreCase(name) && h.value() != null) {
                found = new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return found;
    }

    private static DecodeResult unparseable(String detail) {
        return DecodeResult.invalid(InvalidReason.UNPARSEABLE, detail);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "missing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    /** Details go into a header and a one-line export: no newlines, bounded length. */
    static String oneLine(String s) {
        String flat = s.replaceAll("[\\r\\n\\t]+", " ").trim();
        return flat.length() <= 300 ? flat : flat.substring(0, 297) + "...";
    }
}
