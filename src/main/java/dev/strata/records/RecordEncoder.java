package dev.strata.records;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Writes an {@link EmbeddingRecord} in either input format, always with the content-type
 * header so {@link RecordDecoder} never has to guess. What it writes decodes back to an equal
 * record, except that f32 turns non-string meta values into their JSON text (headers are strings).
 */
public final class RecordEncoder {
    private RecordEncoder() {}

    public static EncodedRecord encode(EmbeddingRecord r, WireFormat format) {
        List<Header> headers = new ArrayList<>();
        headers.add(new RecordHeader(
                WireFormat.CONTENT_TYPE_HEADER, format.contentType().getBytes(StandardCharsets.UTF_8)));
        if (format == WireFormat.JSON) {
            return new EncodedRecord(key(r.id()), json(r), headers);
        }
        headers.addAll(metaHeaders(r.meta()));
        return new EncodedRecord(key(r.id()), f32(r.embedding()), headers);
    }

    /** The Kafka key of an item: its id in UTF-8. */
    public static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"id":...,"embedding":[...],"meta":{...}}}; meta is copied verbatim and must be a JSON object. */
    public static byte[] json(EmbeddingRecord r) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(16 + r.dim() * 12 + r.meta().length());
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeFieldName("embedding");
            g.writeStartArray();
            for (float v : r.embedding()) {
                g.writeNumber(v); // shortest text that reads back as the same float32
            }
            g.writeEndArray();
            g.writeFieldName("meta");
            g.writeRawValue(r.meta());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory output does not fail
        }
        return out.toByteArray();
    }

    /** Little-endian float32s, 4 bytes per component. */
    public static byte[] f32(float[] embedding) {
        ByteBuffer buf = ByteBuffer.allocate(embedding.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(embedding);
        return buf.array();
    }

    /** One header per top-level meta field: strings as they are, anything else as its JSON text. */
    static List<Header> metaHeaders(String meta) {
        List<Header> headers = new ArrayList<>();
        byte[] bytes = meta.getBytes(StandardCharsets.UTF_8);
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("meta is not a JSON object: " + meta);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                byte[] headerValue;
                if (v == JsonToken.VALUE_NULL) {
                    headerValue = null;
                } else if (v == JsonToken.VALUE_STRING) {
                    headerValue = p.getText().getBytes(StandardCharsets.UTF_8);
                } else if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    int end = (int) p.currentTokenLocation().getByteOffset() + 1;
                    headerValue = Arrays.copyOfRange(bytes, start, end);
                } else {
                    headerValue = p.getText().getBytes(StandardCharsets.UTF_8); // number or boolean literal
                }
                headers.add(new RecordHeader(name, headerValue));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("meta is not valid JSON: " + meta, e);
        }
        return headers;
    }
}
