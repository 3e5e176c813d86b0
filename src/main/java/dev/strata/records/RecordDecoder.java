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
import java.util.Map;
import org.apache.kafka.common.header.Header;

/**
 * Turns the bytes of one input Kafka record into an {@link EmbeddingRecord}, or says why it
 * cannot. Bad input never throws: every failure is a {@link DecodeResult} with an
 * {@link InvalidReason}, so the job can route it to the dead-letter topic and keep going.
 *
 * <p>Format detection (docs/record-format.md has the full rules):
 * <ol>
 *   <li>a {@code content-type} header decides: {@code application/json} or
 *       {@code application/x-strata-f32}; any other value is UNSUPPORTED_CONTENT_TYPE;</li>
 *   <li>without the header, a value whose first non-blank byte is '{' is JSON; if it does not
 *       parse but has exactly the bytes of one f32 vector and a key, it is read as f32 instead
 *       (a float's low byte is '{' once in 256 vectors);</li>
 *   <li>otherwise a value with a key and a length that is a multiple of 4 is f32.</li>
 * </ol>
 * In JSON, the "id" field wins over the Kafka key: the value is the self-describing record and
 * some producers key by something else (a host, a shard) to control partitioning. The key is
 * the id only when the JSON has none, and always for f32.
 */
public final class RecordDecoder {
    /** Header names under this prefix are Strata's own (dead-letter info) and never become meta. */
    public static final String RESERVED_HEADER_PREFIX = "strata.";

    private RecordDecoder() {
    }

    /**
     * @param key         the Kafka key (the item id in UTF-8), may be null
     * @param value       the Kafka value, may be null
     * @param headers     the record's headers, may be null
     * @param expectedDim the model's dimension; 0 or less accepts any non-empty embedding
     */
    public static DecodeResult decode(byte[] key, byte[] value, Iterable<Header> headers, int expectedDim) {
        try {
            return decodeUnguarded(key, value, headers, expectedDim);
        } catch (RuntimeException e) {
            // a last guard: a crawler's bytes must never take the job down
            return DecodeResult.invalid(InvalidReason.UNPARSEABLE, "decoder failed: " + oneLine(String.valueOf(e)));
        }
    }

    private static DecodeResult decodeUnguarded(byte[] key, byte[] value, Iterable<Header> headers, int expectedDim) {
        if (value == null) {
            return DecodeResult.invalid(InvalidReason.EMPTY_VALUE, "value is null (a tombstone on the input topic)");
        }
        if (value.length == 0) {
            return DecodeResult.invalid(InvalidReason.EMPTY_VALUE, "value is empty");
        }
        String contentType = lastHeader(headers, WireFormat.CONTENT_TYPE_HEADER);
        if (contentType != null) {
            WireFormat format = WireFormat.ofContentType(contentType);
            if (format == null) {
                return DecodeResult.invalid(InvalidReason.UNSUPPORTED_CONTENT_TYPE, "content-type '" + oneLine(contentType)
                        + "' is neither " + WireFormat.JSON.contentType() + " nor " + WireFormat.F32.contentType());
            }
            return format == WireFormat.JSON ? decodeJson(key, value, expectedDim) : decodeF32(key, value, headers, expectedDim);
        }
        boolean hasKey = key != null && key.length > 0;
        if (startsLikeJsonObject(value)) {
            DecodeResult json = decodeJson(key, value, expectedDim);
            if (!json.isValid() && json.reason() == InvalidReason.UNPARSEABLE
                    && hasKey && expectedDim > 0 && value.length == 4L * expectedDim) {
                return decodeF32(key, value, headers, expectedDim);
            }
            return json;
        }
        if (value.length % 4 == 0) {
            if (!hasKey) {
                return DecodeResult.invalid(InvalidReason.MISSING_ID,
                        "value of " + value.length + " bytes is not JSON and, read as float32s, has no key to carry the id");
            }
            return decodeF32(key, value, headers, expectedDim);
        }
        return DecodeResult.invalid(InvalidReason.UNPARSEABLE, "value of " + value.length
                + " bytes is neither a JSON object nor a whole number of float32s; set header content-type to say which");
    }

    // ---------------------------------------------------------------- f32

    private static DecodeResult decodeF32(byte[] key, byte[] value, Iterable<Header> headers, int expectedDim) {
        if (value.length % 4 != 0) {
            return DecodeResult.invalid(InvalidReason.UNPARSEABLE,
                    "f32 value of " + value.length + " bytes is not a whole number of float32s (truncated?)");
        }
        String id = key == null ? "" : new String(key, StandardCharsets.UTF_8);
        if (id.isEmpty()) {
            return DecodeResult.invalid(InvalidReason.MISSING_ID, "f32 record has no key; the key carries the id");
        }
        int n = value.length / 4;
        if (expectedDim > 0 && n != expectedDim) {
            return DecodeResult.invalid(InvalidReason.WRONG_DIMENSION, "embedding has " + n + " floats, expected " + expectedDim);
        }
        float[] embedding = new float[n];
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(embedding);
        DecodeResult nonFinite = checkFinite(embedding);
        if (nonFinite != null) {
            return nonFinite;
        }
        return DecodeResult.valid(new EmbeddingRecord(id, embedding, metaFromHeaders(headers)));
    }

    /** Headers become string fields of the meta object; the last of repeated keys wins. */
    private static String metaFromHeaders(Iterable<Header> headers) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (headers != null) {
            for (Header h : headers) {
                String k = h.key();
                if (k == null || k.equalsIgnoreCase(WireFormat.CONTENT_TYPE_HEADER) || k.startsWith(RESERVED_HEADER_PREFIX)) {
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

    // ---------------------------------------------------------------- JSON

    private static DecodeResult decodeJson(byte[] key, byte[] value, int expectedDim) {
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
                                    return unparseable("embedding[" + n + "] is " + describe(e) + ", expected a number");
                                }
                                if (n == buf.length) {
                                    buf = Arrays.copyOf(buf, Math.max(64, buf.length * 2));
                                }
                                buf[n++] = p.getFloatValue();
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
            id = key == null ? "" : new String(key, StandardCharsets.UTF_8);
            if (id.isEmpty()) {
                return DecodeResult.invalid(InvalidReason.MISSING_ID, "JSON has no \"id\" and the record has no key");
            }
        }
        if (dim == 0 || (expectedDim > 0 && dim != expectedDim)) {
            return DecodeResult.invalid(InvalidReason.WRONG_DIMENSION, "embedding has " + dim + " floats, expected "
                    + (expectedDim > 0 ? String.valueOf(expectedDim) : "at least 1"));
        }
        if (embedding.length != dim) {
            embedding = Arrays.copyOf(embedding, dim);
        }
        DecodeResult nonFinite = checkFinite(embedding);
        if (nonFinite != null) {
            return nonFinite;
        }
        if (badMeta != null) {
            return DecodeResult.invalid(InvalidReason.BAD_META, badMeta);
        }
        return DecodeResult.valid(new EmbeddingRecord(id, embedding, meta));
    }

    // ---------------------------------------------------------------- helpers

    private static DecodeResult checkFinite(float[] embedding) {
        for (int i = 0; i < embedding.length; i++) {
            if (!Float.isFinite(embedding[i])) {
                return DecodeResult.invalid(InvalidReason.NON_FINITE, "embedding[" + i + "] is " + embedding[i]);
            }
        }
        return null;
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
