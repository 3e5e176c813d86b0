package dev.strata.records;

import java.io.Serializable;

/**
 * What the decoder checks beyond the wire format, fixed by the model and the sinks.
 *
 * @param dim                  the model's dimension; 0 or less accepts any non-empty embedding
 * @param needsDirection       the model compares directions (cosine): a vector without one (zero
 *                             norm) would tie with every centroid, so it is refused as ZERO_NORM
 * @param maxRecordBytes       the largest record (key, value, headers, framing) the job reads or
 *                             writes; larger input, and input whose curated record would be
 *                             larger, is OVERSIZED
 * @param curatedFixedBytes    the part of a curated record that does not depend on the item
 *                             ({@link CuratedRecord#fixedSizeBound}); negative when unknown, which
 *                             skips the curated-size check
 */
public record InputRules(int dim, boolean needsDirection, int maxRecordBytes, int curatedFixedBytes)
        implements Serializable {

    public InputRules {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, got " + maxRecordBytes);
        }
    }

    /** Dimension only, the default size limit, no direction or curated-size check: the rules of a model-free reader. */
    public static InputRules of(int dim) {
        return new InputRules(dim, false, RecordSize.DEFAULT_MAX_RECORD_BYTES, -1);
    }
}
