package dev.strata.model;

import dev.strata.StrataException;
import java.util.Locale;

/** The distance a model is built with. Cosine is spherical k-means: unit rows and unit centroids. */
public enum Metric {
    L2,
    COSINE;

    public static Metric parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "l2":
                return L2;
            case "cosine":
                return COSINE;
            default:
                throw new StrataException("unknown metric '" + s + "'; use l2 or cosine");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
