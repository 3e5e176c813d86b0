package dev.strata.job;

import dev.strata.StrataException;
import java.util.Locale;

/** How accepted items reach the curated topic. */
public enum EmitMode {
    /** Append-only: decided on arrival, never revoked. */
    ADMISSION,
    /** Upsert changelog keyed by id, with tombstones for items that leave the selection. */
    EXACT;

    public static EmitMode parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StrataException("unknown mode '" + s + "'; use admission or exact");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
