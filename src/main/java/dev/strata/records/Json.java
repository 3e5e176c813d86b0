package dev.strata.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

/** The one Jackson factory the record codecs share (thread-safe, and costly to build per call). */
final class Json {
    /**
     * Reads bare NaN/Infinity (what Python's json.dumps writes) as numbers so the decoder can
     * report NON_FINITE rather than a vague parse error; writes them bare for the same reason.
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private Json() {}
}
