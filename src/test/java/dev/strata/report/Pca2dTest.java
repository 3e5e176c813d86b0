package dev.strata.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.vector.FloatMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Pca2dTest {
    /** Points that lie in a plane of a 6-D space: their 2-D map must keep every distance. */
    @Test
    void aPlaneInHigherDimensionsKeepsItsDistances() {
        Random rnd = new Random(3);
        double[] u = {1, 2, 0, -1, 0.5, 0};
        double[] v = {0, 1, -2, 1, 0, 3};
        double[] offset = {5, -3, 2, 0, 1, 7};
        int k = 12;
        float[] data = new float[k * 6];
        for (int i = 0; i < k; i++) {
            double a = rnd.nextGaussian() * 3;
            double b = rnd.nextGaussian();
            for (int j = 0; j < 6; j++) {
                data[i * 6 + j] = (float) (offset[j] + a * u[j] + b * v[j]);
            }
        }
        FloatMatrix points = new FloatMatrix(data, k, 6);
        double[][] xy = Pca2d.project(points);
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double full = 0;
                for (int d = 0; d < 6; d++) {
                    double diff = points.get(i, d) - points.get(j, d);
                    full += diff * diff;
                }
                double mapped = Math.pow(xy[i][0] - xy[j][0], 2) + Math.pow(xy[i][1] - xy[j][1], 2);
                assertEquals(Math.sqrt(full), Math.sqrt(mapped), 1e-3 * (1 + Math.sqrt(full)), "pair " + i + "," + j);
            }
        }
    }

    /** The first axis carries the most spread: points stretched along one direction map onto x. */
    @Test
    void theFirstAxisIsTheWidestSpread() {
        Random rnd = new Random(5);
        int k = 40;
        float[] data = new float[k * 4];
        for (int i = 0; i < k; i++) {
            data[i * 4] = (float) (rnd.nextGaussian() * 0.1);
            data[i * 4 + 1] = (float) (rnd.nextGaussian() * 0.1);
            data[i * 4 + 2] = (float) (rnd.nextGaussian() * 10);
            data[i * 4 + 3] = (float) (rnd.nextGaussian() * 1);
        }
        double[][] xy = Pca2d.project(new FloatMatrix(data, k, 4));
        double varX = 0;
        double varY = 0;
        for (double[] p : xy) {
            varX += p[0] * p[0];
            varY += p[1] * p[1];
        }
        double var2 = 0;
        for (int i = 0; i < k; i++) {
            var2 += data[i * 4 + 2] * data[i * 4 + 2];
        }
        assertEquals(true, varX > 20 * varY, "x spread " + varX + " vs y " + varY);
        assertEquals(var2, varX, 0.05 * var2, "the first component is the stretched coordinate");
    }

    @Test
    void oneClusterSitsAtTheOrigin() {
        double[][] xy = Pca2d.project(new FloatMatrix(new float[] {1, 2, 3}, 1, 3));
        assertEquals(0, xy[0][0]);
        assertEquals(0, xy[0][1]);
    }
}
