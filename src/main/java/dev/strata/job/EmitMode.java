package dev.strata.job;

import dev.strata.Labelled;

/** How accepted items reach the curated topic. */
public enum EmitMode implements Labelled {
    /** Append-only: decided on arrival, never revoked. */
    ADMISSION,
    /** Upsert changelog keyed by id, with tombstones for items that leave the selection. */
    EXACT;

    public static EmitMode parse(String s) {
        return Labelled.parse(EmitMode.class, "mode", s);
    }
}
