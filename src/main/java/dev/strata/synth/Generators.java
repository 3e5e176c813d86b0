package dev.strata.synth;

import dev.strata.StrataException;
import dev.strata.progress.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The generators behind the {@code generate} command, selected by name. */
public final class Generators {
    /** Kinds accepted by {@link #generate}. */
    public static final List<String> KINDS = List.of("gmm", "rings");

    private Generators() {}

    /**
     * Generates {@code n} points of the named kind.
     *
     * <ul>
     *   <li>{@code gmm}: {@link GaussianMixture} with {@code concepts} concepts in {@code dim} dimensions,
     *       sizes Zipf-distributed with exponent {@code zipf}.</li>
     *   <li>{@code rings}: the paper's five rings ({@link Rings}) scaled to {@code n}; needs dim 2 and
     *       ignores {@code concepts} and {@code zipf}, since the ring sizes are the paper's.</li>
     * </ul>
     */
    public static SyntheticData generate(String kind, int n, int dim, int concepts, double zipf, long seed) {
        switch (checkedKind(kind)) {
            case "gmm":
                return new GaussianMixture(n, dim, concepts, zipf, seed).generate();
            case "rings":
                checkRings(n, dim);
                return Rings.generate(n, seed);
            default:
                throw new IllegalStateException("unhandled kind " + kind);
        }
    }

    /**
     * Like {@link #generate} followed by {@link SyntheticData#write}, except that gmm data bound for
     * a .npy file is streamed to it, so it may exceed the heap; returns the labels path.
     */
    public static Path write(
            String kind, int n, int dim, int concepts, double zipf, long seed, Path points, Progress progress) {
        boolean npy = points.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
        if (checkedKind(kind).equals("gmm") && npy) {
            return new GaussianMixture(n, dim, concepts, zipf, seed).write(points, progress);
        }
        return generate(kind, n, dim, concepts, zipf, seed).write(points);
    }

    private static String checkedKind(String kind) {
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        if (!KINDS.contains(k)) {
            throw new StrataException("unknown generator '" + kind + "'; expected one of " + String.join(", ", KINDS));
        }
        return k;
    }

    private static void checkRings(int n, int dim) {
        if (dim != 2) {
            throw new StrataException(
                    "rings is a 2-D data set but dim is " + dim + "; use dim 2, or gmm for other dimensions");
        }
        if (n < 5) {
            throw new StrataException("rings needs at least 5 points (one per ring), got n=" + n);
        }
    }
}
