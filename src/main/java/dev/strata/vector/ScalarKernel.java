package dev.strata.vector;

/**
 * The naive triple loop: one scalar multiply-add at a time, float accumulation in index order.
 * It is the reference the other kernels are tested against and the floor in benchmarks; it is
 * also the last resort when neither native code nor the Vector API is available.
 */
public final class ScalarKernel implements DotKernel {

    /** True: one float sum per output in index order. */
    @Override
    public boolean rowIndependent() {
        return true;
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void dotsTransposed(float[] a, int aOff, int aRows, float[] b, int bRows, int dim, float[] out) {
        for (int i = 0; i < aRows; i++) {
            int ai = aOff + i * dim;
            for (int j = 0; j < bRows; j++) {
                int bj = j * dim;
                float s = 0f;
                for (int k = 0; k < dim; k++) {
                    s += a[ai + k] * b[bj + k];
                }
                out[i * bRows + j] = s;
            }
        }
    }
}
