package dev.strata.records;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One item the job selected, as written to the curated topic (key = id in UTF-8):
 * <pre>{"id":"42","model_version":"...","path":[17,3,0],"distance":0.1234,"meta":{...}}</pre>
 * {@code path} runs from the leaf cluster up to the top-level cluster; {@code distance} is to the
 * leaf centroid; {@code meta} is the item's meta object, verbatim. A job with budgets per window
 * adds {@code "window_start"}, the start (epoch ms) of the window the item was curated in: in
 * processing time nothing else tells a consumer which window's balanced set an item belongs to. In exact (changelog) mode an
 * eviction is a tombstone: key = id, value = null ({@link #tombstoneValue()}).
 */
public final class CuratedRecord {
    private final String id;
    private final String modelVersion;
    private final int[] path;
    private final float distance;
    private final String meta;
    /** Start (epoch ms) of the item's quota window, or null for a job without windows. */
    private final Long windowStart;

    public CuratedRecord(String id, String modelVersion, int[] path, float distance, String meta) {
        this(id, modelVersion, path, distance, meta, null);
    }

    /** A record of a job with budgets per window: {@code windowStart} names the item's window. */
    public CuratedRecord(String id, String modelVersion, int[] path, float distance, String meta, Long windowStart) {
        this.id = Objects.requireNonNull(id, "id");
        this.modelVersion = Objects.requireNonNull(modelVersion, "modelVersion");
        this.path = Objects.requireNonNull(path, "path");
        this.distance = distance;
        this.meta = meta == null ? "{}" : meta;
        this.windowStart = windowStart;
    }

    /** Start (epoch ms) of the quota window the item was curated in; null without budgets per window. */
    public Long windowStart() {
        return windowStart;
    }

    public String id() {
        return id;
    }

    public String modelVersion() {
        return modelVersion;
    }

    /** Cluster ids from the leaf (index 0) to the top-level cluster (last). */
    public int[] path() {
        return path;
    }

    public int leaf() {
        return path[0];
    }

    public int topCluster() {
        return path[path.length - 1];
    }

    public float distance() {
        return distance;
    }

    public String meta() {
        return meta;
    }

    public byte[] key() {
        return RecordEncoder.key(id);
    }

    /** JSON text around the fields, the widest float a distance prints as, and a one-record batch's framing. */
    private static final int SKELETON_BYTES = 64;

    private static final int DISTANCE_BYTES = 24;
    /** {@code ,"window_start":} and the widest long: counted for every job, windowed or not, as an upper bound. */
    private static final int WINDOW_BYTES = 36;

    private static final int FRAMING_BYTES = 128;

    /**
     * An upper bound of the bytes of a curated record (as the producer counts them) that do not
     * depend on the item: the JSON skeleton, the model version, a path of {@code depth} cluster ids,
     * the distance, a window start, and the framing of a one-record batch.
     */
    public static int fixedSizeBound(String modelVersion, int depth) {
        return SKELETON_BYTES
                + (int) jsonStringBound(modelVersion)
                + 12 * depth
                + DISTANCE_BYTES
                + WINDOW_BYTES
                + FRAMING_BYTES;
    }

    /**
     * An upper bound of the size of the curated record of this id and meta, key included, with
     * {@code fixedBytes} from {@link #fixedSizeBound}; exact per character, so it errs by the
     * width of a path's digits and a distance's text, never by the meta's length.
     */
    public static long sizeBound(String id, String meta, int fixedBytes) {
        return fixedBytes + utf8Bound(id) + jsonStringBound(id) + utf8Bound(meta);
    }

    /** UTF-8 length of a string (a surrogate pair is 4 bytes: 2 per char). */
    private static long utf8Bound(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /**
     * Bytes of the string as a JSON string, quotes included: a control character escapes to 6
     * bytes, and so does each half of a surrogate pair (Jackson writes astral characters as two
     * backslash-u escapes).
     */
    private static long jsonStringBound(String s) {
        long n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x20 || Character.isSurrogate(c)
                    ? 6
                    : c == '"' || c == '\\' ? 2 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
        return n;
    }

    /** The value of a changelog tombstone: null, which compaction reads as "delete this key". */
    public static byte[] tombstoneValue() {
        return null;
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96 + meta.length());
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("model_version", modelVersion);
            g.writeFieldName("path");
            g.writeArray(path, 0, path.length);
            g.writeNumberField("distance", distance);
            if (windowStart != null) {
                g.writeNumberField("window_start", windowStart);
            }
            g.writeFieldName("meta");
            g.writeRawValue(meta);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory output does not fail
        }
        return out.toByteArray();
    }

    /** Reads what {@link #toJson()} wrote; IllegalArgumentException for anything else. */
    public static CuratedRecord fromJson(byte[] json) {
        String id = null;
        String version = null;
        int[] path = null;
        float distance = Float.NaN;
        String meta = "{}";
        Long windowStart = null;
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("curated record is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "id" -> id = p.getValueAsString();
                    case "model_version" -> version = p.getValueAsString();
                    case "distance" -> distance = p.getFloatValue();
                    case "window_start" -> windowStart = p.getLongValue();
                    case "path" -> {
                        if (v != JsonToken.START_ARRAY) {
                            throw new IllegalArgumentException("curated \"path\" is not an array");
                        }
                        int[] buf = new int[8];
                        int n = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (n == buf.length) {
                                buf = Arrays.copyOf(buf, n * 2);
                            }
                            buf[n++] = p.getIntValue();
                        }
                        path = Arrays.copyOf(buf, n);
                    }
                    case "meta" -> {
                        if (v == JsonToken.START_OBJECT) {
                            long start = p.currentTokenLocation().getByteOffset();
                            p.skipChildren();
                            long end = p.currentTokenLocation().getByteOffset() + 1;
                            meta = new String(json, (int) start, (int) (end - start), StandardCharsets.UTF_8);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("curated record is not valid JSON: " + e.getMessage(), e);
        }
        if (id == null || version == null || path == null || path.length == 0) {
            throw new IllegalArgumentException("curated record lacks id, model_version or path");
        }
        return new CuratedRecord(id, version, path, distance, meta, windowStart);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CuratedRecord r
                && id.equals(r.id)
                && modelVersion.equals(r.modelVersion)
                && Arrays.equals(path, r.path)
                && Float.compare(distance, r.distance) == 0
                && meta.equals(r.meta)
                && Objects.equals(windowStart, r.windowStart);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, modelVersion, Arrays.hashCode(path), distance, meta, windowStart);
    }

    @Override
    public String toString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }
}
