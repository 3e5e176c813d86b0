package dev.strata.records;

/**
 * Why an input record was sent to the dead-letter topic. The name travels in the
 * {@code strata.dlq.reason} header, so renaming a constant is a format change.
 */
public enum InvalidReason {
    /** Null or zero-length value (a tombstone on the input topic is also this). */
    EMPTY_VALUE,
    /** Neither valid JSON nor a whole number of float32s, or JSON of the wrong shape. */
    UNPARSEABLE,
    /** A {@code content-type} header this decoder does not know. */
    UNSUPPORTED_CONTENT_TYPE,
    /** No id in the JSON and no (non-empty) Kafka key. */
    MISSING_ID,
    /** The embedding has a different length than the model expects (or is empty). */
    WRONG_DIMENSION,
    /** The embedding holds NaN or an infinity (also a JSON number too large for float32). */
    NON_FINITE,
    /** {@code meta} is present but is not a JSON object. */
    BAD_META,
    /**
     * The record is larger than the job's size limit (maxRecordBytes), or the curated record it
     * would become is; its dead letter carries the value cut to fit.
     */
    OVERSIZED,
    /** The id cannot be carried losslessly: a key that is not UTF-8, a JSON id with a lone surrogate. */
    INVALID_ID,
    /** A vector of zero norm (or too small to normalise in float32) under a cosine model: it has no direction. */
    ZERO_NORM
}
