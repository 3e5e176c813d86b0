package dev.strata.model;

import dev.strata.Labelled;

/** The distance a model is built with. Cosine is spherical k-means: unit rows and unit centroids. */
public enum Metric implements Labelled {
    L2,
    COSINE;

    public static Metric parse(String s) {
        return Labelled.parse(Metric.class, "metric", s);
    }
}
