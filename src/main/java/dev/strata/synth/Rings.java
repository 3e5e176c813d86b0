package dev.strata.synth;

import dev.strata.vector.FloatMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The toy data set of Vo et al. (2024): five rings in the plane of very unequal sizes. Each
 * point sits at a radius drawn uniformly from [0.7, 1.0] (uniform in radius, not in area, as in
 * the paper) and a uniform angle around its ring's centre. Plain k-means spends most centroids
 * on the 20000-point ring; a balanced curation should cover all five.
 */
public final class Rings {
    public static final double MIN_RADIUS = 0.7;
    public static final double MAX_RADIUS = 1.0;
    private static final int[] PAPER_SIZES = {20000, 200, 1000, 500, 8000};
    private static final double[][] CENTRES = {{-2.2, 1}, {0, 1}, {2.2, 1}, {-1.2, 0.2}, {1.2, 0.2}};

    private Rings() {}

    /** The paper's sizes, 20000, 200, 1000, 500, 8000 (29700 points). */
    public static int[] paperSizes() {
        return PAPER_SIZES.clone();
    }

    /** The centre of ring {@code ring} (0..4) as (x, y). */
    public static double[] centre(int ring) {
        return CENTRES[ring].clone();
    }

    /** The paper's sizes times {@code factor}, rounded, at least one point per ring. */
    public static int[] scaledSizes(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("scale factor must be > 0, got " + factor);
        }
        return Arrays.stream(PAPER_SIZES)
                .map(s -> (int) Math.max(1, Math.round(s * factor)))
                .toArray();
    }

    /** Sizes in the paper's proportions summing exactly to {@code n} (n >= 5: one point per ring at least). */
    public static int[] sizesFor(int n) {
        if (n < PAPER_SIZES.length) {
            throw new IllegalArgumentException("rings need at least 5 points, got " + n);
        }
        return Apportion.sizes(Arrays.stream(PAPER_SIZES).asDoubleStream().toArray(), n, 1);
    }

    /** The paper's toy set: 29700 points. */
    public static SyntheticData paper(long seed) {
        return generate(PAPER_SIZES, seed);
    }

    /** The toy set scaled to {@code n} points. */
    public static SyntheticData generate(int n, long seed) {
        return generate(sizesFor(n), seed);
    }

    /** Rings of the given sizes (five of them), rows in a seeded random order, labels = ring index. */
    public static SyntheticData generate(int[] sizes, long seed) {
        if (sizes.length != CENTRES.length) {
            throw new IllegalArgumentException("need 5 ring sizes, got " + sizes.length);
        }
        if (Arrays.stream(sizes).anyMatch(s -> s < 0)) {
            throw new IllegalArgumentException("ring sizes must be >= 0, got " + Arrays.toString(sizes));
        }
        int[] labels = Apportion.shuffledLabels(sizes, Seeds.stream(seed, Seeds.ORDER));
        float[] xy = new float[labels.length * 2];
        SplittableRandom rnd = Seeds.stream(seed, Seeds.ROWS);
        for (int i = 0; i < labels.length; i++) {
            double r = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * rnd.nextDouble();
            double a = 2 * Math.PI * rnd.nextDouble();
            double[] c = CENTRES[labels[i]];
            xy[2 * i] = (float) (c[0] + r * Math.cos(a));
            xy[2 * i + 1] = (float) (c[1] + r * Math.sin(a));
        }
        return new SyntheticData(new FloatMatrix(xy, labels.length, 2), labels);
    }
}
