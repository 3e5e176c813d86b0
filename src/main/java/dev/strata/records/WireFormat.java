package dev.strata.records;

import java.util.Locale;

/** The two encodings of an embedding in a Kafka value; see docs/record-format.md. */
public enum WireFormat {
    /** {@code {"id": "...", "embedding": [...], "meta": {...}}} */
    JSON("application/json"),
    /** Little-endian float32 array; id in the key, metadata in headers. */
    F32("application/x-strata-f32");

    /** Header that names the format of a value explicitly. */
    public static final String CONTENT_TYPE_HEADER = "content-type";

    private final String contentType;

    WireFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The format for a content-type header value (parameters such as "; charset=utf-8" ignored), or null. */
    public static WireFormat ofContentType(String value) {
        if (value == null) {
            return null;
        }
        int semi = value.indexOf(';');
        String bare = (semi >= 0 ? value.substring(0, semi) : value).trim().toLowerCase(Locale.ROOT);
        for (WireFormat f : values()) {
            if (f.contentType.equals(bare)) {
                return f;
            }
        }
        return null;
    }

    /** Parses a command-line spelling: json or f32, any case. */
    public static WireFormat parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
