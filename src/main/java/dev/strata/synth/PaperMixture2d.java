package dev.strata.synth;

import dev.strata.vector.FloatMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The 2-D Gaussian mixture of Vo et al. (2024): 7000, 1000 and 500 points from isotropic
 * Gaussians (sigma 0.5) centred at (-1,-1), (1,-1) and (0,1), plus 500 points uniform on
 * [-3,3]^2 as background. Labels 0, 1, 2 name the Gaussians and 3 the background.
 */
public final class PaperMixture2d {
    public static final double SIGMA = 0.5;
    public static final double BOX = 3.0;
    private static final int[] PAPER_SIZES = {7000, 1000, 500, 500};
    private static final double[][] MEANS = {{-1, -1}, {1, -1}, {0, 1}};
    /** Label of the uniform background points. */
    public static final int UNIFORM = 3;

    private PaperMixture2d() {}

    public static int[] paperSizes() {
        return PAPER_SIZES.clone();
    }

    /** The mean of Gaussian {@code component} (0..2). */
    public static double[] mean(int component) {
        return MEANS[component].clone();
    }

    /** The paper's 9000 points. */
    public static SyntheticData generate(long seed) {
        return generate(PAPER_SIZES, seed);
    }

    /** {@code n} points (n >= 4) in the paper's proportions. */
    public static SyntheticData generate(int n, long seed) {
        if (n < PAPER_SIZES.length) {
            throw new IllegalArgumentException("the 2-D mixture needs at least 4 points, got " + n);
        }
        double[] weights = Arrays.stream(PAPER_SIZES).asDoubleStream().toArray();
        return generate(Apportion.sizes(weights, n, 1), seed);
    }

    private static SyntheticData generate(int[] sizes, long seed) {
        int[] labels = Apportion.shuffledLabels(sizes, Seeds.stream(seed, Seeds.ORDER));
        float[] xy = new float[labels.length * 2];
        SplittableRandom rnd = Seeds.stream(seed, Seeds.ROWS);
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            double x;
            double y;
            if (l == UNIFORM) {
                x = BOX * (2 * rnd.nextDouble() - 1);
                y = BOX * (2 * rnd.nextDouble() - 1);
            } else {
                x = MEANS[l][0] + SIGMA * rnd.nextGaussian();
                y = MEANS[l][1] + SIGMA * rnd.nextGaussian();
            }
            xy[2 * i] = (float) x;
            xy[2 * i + 1] = (float) y;
        }
        return new SyntheticData(new FloatMatrix(xy, labels.length, 2), labels);
    }
}
