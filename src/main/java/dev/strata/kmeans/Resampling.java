package dev.strata.kmeans;

import dev.strata.Labelled;

/** Which members of a cluster a resampling step keeps. */
public enum Resampling implements Labelled {
    /** The s members closest to the centroid (the paper's default). */
    CLOSEST,
    /** s members drawn uniformly without replacement. */
    RANDOM;

    public static Resampling parse(String s) {
        return Labelled.parse(Resampling.class, "resampling", s);
    }
}
