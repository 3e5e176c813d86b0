package dev.strata.kmeans;

import dev.strata.StrataException;
import java.util.Locale;

/** Which members of a cluster a resampling step keeps. */
public enum Resampling {
    /** The s members closest to the centroid (the paper's default). */
    CLOSEST,
    /** s members drawn uniformly without replacement. */
    RANDOM;

    public static Resampling parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StrataException("unknown resampling '" + s + "'; use closest or random");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
