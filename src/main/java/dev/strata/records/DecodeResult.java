package dev.strata.records;

import java.util.Objects;

/**
 * The outcome of decoding one Kafka record: either a valid {@link EmbeddingRecord} or the
 * reason it is invalid, with a short detail for a human reading the dead-letter topic.
 */
public final class DecodeResult {
    private final EmbeddingRecord record;
    private final InvalidReason reason;
    private final String detail;

    private DecodeResult(EmbeddingRecord record, InvalidReason reason, String detail) {
        this.record = record;
        this.reason = reason;
        this.detail = detail;
    }

    public static DecodeResult valid(EmbeddingRecord record) {
        return new DecodeResult(Objects.requireNonNull(record), null, null);
    }

    public static DecodeResult invalid(InvalidReason reason, String detail) {
        return new DecodeResult(null, Objects.requireNonNull(reason), Objects.requireNonNull(detail));
    }

    public boolean isValid() {
        return record != null;
    }

    /** The decoded record; throws IllegalStateException when invalid. */
    public EmbeddingRecord record() {
        if (record == null) {
            throw new IllegalStateException("invalid record (" + reason + "): " + detail);
        }
        return record;
    }

    /** The reason, or null when valid. */
    public InvalidReason reason() {
        return reason;
    }

    /** A human explanation, or null when valid. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return isValid() ? "valid " + record : "invalid " + reason + ": " + detail;
    }
}
