package dev.strata.bench;

import dev.strata.vector.FloatMatrix;

/**
 * How far 2-D points are from uniform over [-3,3]^2: KL(p || uniform) of their histogram on a
 * g x g grid, each cell smoothed by +0.5 so an empty cell does not make it infinite. The same
 * measure in CurationQualityTest's small run and in the full-size check here. Not the paper's own estimator, so its 0.042 / 0.34 compare only
 * in direction and rough ratio.
 */
public final class GridKl {
    static final double BOX = 3.0;

    private GridKl() {}

    public static double toUniform(FloatMatrix points, int g) {
        double[] hist = new double[g * g];
        for (int i = 0; i < points.rows(); i++) {
            hist[cell(points.get(i, 0), g) * g + cell(points.get(i, 1), g)]++;
        }
        double total = 0;
        for (int c = 0; c < hist.length; c++) {
            hist[c] += 0.5;
            total += hist[c];
        }
        double q = 1.0 / hist.length;
        double kl = 0;
        for (double h : hist) {
            double p = h / total;
            kl += p * Math.log(p / q);
        }
        return kl;
    }

    /** Points outside the box count in the nearest edge cell. */
    private static int cell(float v, int g) {
        int c = (int) Math.floor((v + BOX) / (2 * BOX) * g);
        return Math.max(0, Math.min(g - 1, c));
    }
}
