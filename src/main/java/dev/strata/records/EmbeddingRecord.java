package dev.strata.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * One item pushed by a crawler: its id, its embedding and its metadata. {@code meta} is the
 * text of a JSON object, kept verbatim from the input so nothing a crawler sends is lost or
 * reformatted on its way to the curated output.
 */
public final class EmbeddingRecord {
    private final String id;
    private final float[] embedding;
    private final String meta;

    public EmbeddingRecord(String id, float[] embedding, String meta) {
        this.id = Objects.requireNonNull(id, "id");
        this.embedding = Objects.requireNonNull(embedding, "embedding");
        this.meta = meta == null ? "{}" : meta;
    }

    public String id() {
        return id;
    }

    /** The vector itself, not a copy: the job reads millions of these and never mutates them. */
    public float[] embedding() {
        return embedding;
    }

    public int dim() {
        return embedding.length;
    }

    /** A JSON object, e.g. {@code {"url":"https://...","label":3}}; {@code {}} when there is none. */
    public String meta() {
        return meta;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingRecord r
                && id.equals(r.id)
                && Arrays.equals(embedding, r.embedding)
                && meta.equals(r.meta);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * id.hashCode() + Arrays.hashCode(embedding)) + meta.hashCode();
    }

    @Override
    public String toString() {
        return "EmbeddingRecord{id=" + id + ", dim=" + embedding.length + ", meta=" + meta + "}";
    }
}
