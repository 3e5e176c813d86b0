package dev.strata.sampling;

import dev.strata.StrataException;
import java.util.Locale;

/** Which q points a leaf with quota q yields. */
public enum LeafStrategy {
    /** Uniform without replacement (the default). */
    RANDOM,
    /** The q points nearest to the leaf centroid. */
    CLOSEST;

    public static LeafStrategy parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StrataException("unknown strategy '" + s + "'; use random or closest");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
