package dev.strata.kmeans;

import dev.strata.Labelled;

/** How the first centroids of a k-means run are chosen. */
public enum Init implements Labelled {
    /** Greedy k-means++: 2 + floor(ln k) candidates per step, keep the one that lowers the potential most. */
    KMEANS_PLUS_PLUS("kmeans++"),
    /** k distinct rows drawn uniformly (what FAISS does by default). */
    RANDOM("random");

    private final String label;

    Init(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    public static Init parse(String s) {
        return Labelled.parse(Init.class, "init", s);
    }

    @Override
    public String toString() {
        return label;
    }
}
