package dev.strata.sampling;

import dev.strata.Labelled;

/** Which q points a leaf with quota q yields. */
public enum LeafStrategy implements Labelled {
    /** Uniform without replacement (the default). */
    RANDOM,
    /** The q points nearest to the leaf centroid. */
    CLOSEST;

    public static LeafStrategy parse(String s) {
        return Labelled.parse(LeafStrategy.class, "strategy", s);
    }
}
