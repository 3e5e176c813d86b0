package dev.strata.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A * B^T in pure Java with the incubating Vector API: the portable fallback when OpenBLAS
 * natives do not load. Linking this class needs the JVM flag {@code --add-modules
 * jdk.incubator.vector}; {@link Kernels} checks for the module before touching it.
 *
 * <p>Layout: B is packed per call into column panels of {@link #PANEL} rows, transposed so the
 * panel holds, for every k, the k-th coordinate of its rows side by side. The micro-kernel then
 * broadcasts one coordinate of 4 rows of A and multiplies it into {@code NR} vectors of the panel,
 * keeping a 4 x NR block of accumulators in registers. This avoids the horizontal reduction a
 * dot-product formulation needs for every output, and makes any dim work without a tail loop:
 * only the last panel has a tail, and it is zero padded to whole vectors only: a last panel of
 * one or two vectors' worth of rows is packed and multiplied one or two vectors wide, not three.
 * The beam descent multiplies each parent's children, ten or so for most parents, so padding them
 * to a full panel made the prepared model several times its size and a quarter of the products
 * zeros (docs/benchmarks.md). Every output is the same FMA chain over k whatever the panel's width.
 *
 * <p>The 4-, 3-, 2- and 1-row micro-kernels are written out one by one, as BLAS micro-kernels
 * are: the JIT keeps named {@code FloatVector} locals in registers, not the elements of an
 * array, so a loop over rows would spill the accumulators. Padding 1-3 leftover rows to 4 would
 * share one kernel but multiply zeros for every small group of the batched beam descent.
 */
public final class VectorApiKernel implements DotKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of B per packed panel: 3 vectors, so 4 x 3 accumulators + 3 panel vectors + 1 broadcast fit 16 registers. */
    private static final int PANEL = 3 * L;

    private static final int MR = 4;

    /** Packing buffer of the unprepared call, per thread. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /** True: every output is one FMA chain over k in index order, in the 4-, 3-, 2- and 1-row micro-kernels alike. */
    @Override
    public boolean rowIndependent() {
        return true;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void dotsTransposed(float[] a, int aOff, int aRows, float[] b, int bRows, int dim, float[] out) {
        if (aRows == 0 || bRows == 0) {
            return;
        }
        int packedLen = packedLength(bRows, dim);
        float[] packed = SCRATCH.get();
        if (packed.length < packedLen) {
            packed = new float[packedLen];
            SCRATCH.set(packed);
        }
        pack(b, 0, bRows, dim, packed);
        multiply(a, aOff, aRows, packed, bRows, dim, out);
    }

    @Override
    public PreparedRows prepare(float[] b, int bOff, int bRows, int dim) {
        float[] packed = new float[packedLength(bRows, dim)];
        pack(b, bOff, bRows, dim, packed);
        return new PackedRows(packed, bRows, dim);
    }

    @Override
    public void dotsTransposed(float[] a, int aOff, int aRows, PreparedRows b, float[] out) {
        if (!(b instanceof PackedRows)) {
            throw new IllegalArgumentException(
                    "rows prepared by another kernel: " + b.getClass().getSimpleName());
        }
        if (aRows == 0 || b.rows() == 0) {
            return;
        }
        multiply(a, aOff, aRows, ((PackedRows) b).packed, b.rows(), b.dim(), out);
    }

    private static int packedLength(int bRows, int dim) {
        return bRows / PANEL * PANEL * dim + lastStride(bRows) * dim;
    }

    /** Columns the last panel is packed with: its rows rounded up to whole vectors (0 when B fills whole panels). */
    private static int lastStride(int bRows) {
        int rest = bRows % PANEL;
        return (rest + L - 1) / L * L;
    }

    /** Columns panel {@code p} is packed with. */
    private static int stride(int p, int bRows) {
        return (p + 1) * PANEL <= bRows ? PANEL : lastStride(bRows);
    }

    private static void multiply(float[] a, int aOff, int aRows, float[] packed, int bRows, int dim, float[] out) {
        int panels = (bRows + PANEL - 1) / PANEL;
        float[] tail = new float[MR * PANEL];
        for (int p = 0; p < panels; p++) {
            int col0 = p * PANEL;
            int width = Math.min(PANEL, bRows - col0);
            int pOff = col0 * dim;
            int stride = stride(p, bRows);
            int i = 0;
            if (stride == PANEL) {
                for (; i + MR <= aRows; i += MR) {
                    block4(a, aOff + i * dim, dim, packed, pOff, out, i, bRows, col0, width, tail);
                }
                // the 1-3 rows left over (a 1-3 row call, too: the beam descent makes many) in one pass
                // over the panel where possible, since a pass per row re-reads the panel for each
                switch (aRows - i) {
                    case 3 -> block3(a, aOff + i * dim, dim, packed, pOff, out, i, bRows, col0, width, tail);
                    case 2 -> block2(a, aOff + i * dim, dim, packed, pOff, out, i, bRows, col0, width, tail);
                    case 1 -> block1(a, aOff + i * dim, dim, packed, pOff, out, i, bRows, col0, width, tail);
                    default -> {}
                }
            } else if (stride == 2 * L) {
                for (; i + 2 <= aRows; i += 2) {
                    narrow2x2(a, aOff + i * dim, dim, packed, pOff, out, i, bRows, col0, width, tail);
                }
                if (i < aRows) {
                    narrow1x2(a, aOff + i * dim, dim, packed, pOff, out, i, bRows, col0, width, tail);
                }
            } else {
                for (; i + MR <= aRows; i += MR) {
                    narrow4x1(a, aOff + i * dim, dim, packed, pOff, out, i, bRows, col0, width, tail);
                }
                for (; i < aRows; i++) {
                    narrow1x1(a, aOff + i * dim, dim, packed, pOff, out, i, bRows, col0, width, tail);
                }
            }
        }
    }

    /**
     * packed[p*PANEL*dim + k*w + c] = b[bOff + (p*PANEL + c)*dim + k] for the w columns panel p is
     * packed with ({@link #stride}), zero past bRows.
     */
    private static void pack(float[] b, int bOff, int bRows, int dim, float[] packed) {
        int panels = (bRows + PANEL - 1) / PANEL;
        for (int p = 0; p < panels; p++) {
            int base = p * PANEL * dim;
            int w = stride(p, bRows);
            for (int c = 0; c < w; c++) {
                int row = p * PANEL + c;
                if (row < bRows) {
                    int src = bOff + row * dim;
                    for (int k = 0; k < dim; k++) {
                        packed[base + k * w + c] = b[src + k];
                    }
                } else {
                    for (int k = 0; k < dim; k++) {
                        packed[base + k * w + c] = 0f;
                    }
                }
            }
        }
    }

    private static void block4(
            float[] a,
            int a0,
            int dim,
            float[] packed,
            int pOff,
            float[] out,
            int row,
            int bRows,
            int col0,
            int width,
            float[] tail) {
        int a1 = a0 + dim;
        int a2 = a1 + dim;
        int a3 = a2 + dim;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        int q = pOff;
        for (int k = 0; k < dim; k++, q += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, packed, q);
            FloatVector b1 = FloatVector.fromArray(S, packed, q + L);
            FloatVector b2 = FloatVector.fromArray(S, packed, q + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[a1 + k]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[a2 + k]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[a3 + k]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
        }
        if (width == PANEL) {
            int o = row * bRows + col0;
            store(c00, c01, c02, out, o);
            store(c10, c11, c12, out, o + bRows);
            store(c20, c21, c22, out, o + 2 * bRows);
            store(c30, c31, c32, out, o + 3 * bRows);
        } else {
            store(c00, c01, c02, tail, 0);
            store(c10, c11, c12, tail, PANEL);
            store(c20, c21, c22, tail, 2 * PANEL);
            store(c30, c31, c32, tail, 3 * PANEL);
            for (int r = 0; r < MR; r++) {
                System.arraycopy(tail, r * PANEL, out, (row + r) * bRows + col0, width);
            }
        }
    }

    private static void block3(
            float[] a,
            int a0,
            int dim,
            float[] packed,
            int pOff,
            float[] out,
            int row,
            int bRows,
            int col0,
            int width,
            float[] tail) {
        int a1 = a0 + dim;
        int a2 = a1 + dim;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        int q = pOff;
        for (int k = 0; k < dim; k++, q += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, packed, q);
            FloatVector b1 = FloatVector.fromArray(S, packed, q + L);
            FloatVector b2 = FloatVector.fromArray(S, packed, q + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[a1 + k]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[a2 + k]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
        }
        if (width == PANEL) {
            int o = row * bRows + col0;
            store(c00, c01, c02, out, o);
            store(c10, c11, c12, out, o + bRows);
            store(c20, c21, c22, out, o + 2 * bRows);
        } else {
            store(c00, c01, c02, tail, 0);
            store(c10, c11, c12, tail, PANEL);
            store(c20, c21, c22, tail, 2 * PANEL);
            for (int r = 0; r < 3; r++) {
                System.arraycopy(tail, r * PANEL, out, (row + r) * bRows + col0, width);
            }
        }
    }

    private static void block2(
            float[] a,
            int a0,
            int dim,
            float[] packed,
            int pOff,
            float[] out,
            int row,
            int bRows,
            int col0,
            int width,
            float[] tail) {
        int a1 = a0 + dim;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        int q = pOff;
        for (int k = 0; k < dim; k++, q += PANEL) {
            FloatVector b0 = FloatVector.fromArray(S, packed, q);
            FloatVector b1 = FloatVector.fromArray(S, packed, q + L);
            FloatVector b2 = FloatVector.fromArray(S, packed, q + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[a1 + k]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
        }
        if (width == PANEL) {
            int o = row * bRows + col0;
            store(c00, c01, c02, out, o);
            store(c10, c11, c12, out, o + bRows);
        } else {
            store(c00, c01, c02, tail, 0);
            store(c10, c11, c12, tail, PANEL);
            for (int r = 0; r < 2; r++) {
                System.arraycopy(tail, r * PANEL, out, (row + r) * bRows + col0, width);
            }
        }
    }

    private static void block1(
            float[] a,
            int a0,
            int dim,
            float[] packed,
            int pOff,
            float[] out,
            int row,
            int bRows,
            int col0,
            int width,
            float[] tail) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        int q = pOff;
        for (int k = 0; k < dim; k++, q += PANEL) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c0 = FloatVector.fromArray(S, packed, q).fma(x, c0);
            c1 = FloatVector.fromArray(S, packed, q + L).fma(x, c1);
            c2 = FloatVector.fromArray(S, packed, q + 2 * L).fma(x, c2);
        }
        if (width == PANEL) {
            store(c0, c1, c2, out, row * bRows + col0);
        } else {
            store(c0, c1, c2, tail, 0);
            System.arraycopy(tail, 0, out, row * bRows + col0, width);
        }
    }

    /** Two rows of A against a last panel two vectors wide. */
    private static void narrow2x2(
            float[] a,
            int a0,
            int dim,
            float[] packed,
            int pOff,
            float[] out,
            int row,
            int bRows,
            int col0,
            int width,
            float[] tail) {
        int a1 = a0 + dim;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        int q = pOff;
        for (int k = 0; k < dim; k++, q += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, packed, q);
            FloatVector b1 = FloatVector.fromArray(S, packed, q + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + k]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
        }
        c00.intoArray(tail, 0);
        c01.intoArray(tail, L);
        c10.intoArray(tail, PANEL);
        c11.intoArray(tail, PANEL + L);
        System.arraycopy(tail, 0, out, row * bRows + col0, width);
        System.arraycopy(tail, PANEL, out, (row + 1) * bRows + col0, width);
    }

    /** One row of A against a last panel two vectors wide. */
    private static void narrow1x2(
            float[] a,
            int a0,
            int dim,
            float[] packed,
            int pOff,
            float[] out,
            int row,
            int bRows,
            int col0,
            int width,
            float[] tail) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        int q = pOff;
        for (int k = 0; k < dim; k++, q += 2 * L) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c0 = FloatVector.fromArray(S, packed, q).fma(x, c0);
            c1 = FloatVector.fromArray(S, packed, q + L).fma(x, c1);
        }
        c0.intoArray(tail, 0);
        c1.intoArray(tail, L);
        System.arraycopy(tail, 0, out, row * bRows + col0, width);
    }

    /** Four rows of A against a last panel one vector wide. */
    private static void narrow4x1(
            float[] a,
            int a0,
            int dim,
            float[] packed,
            int pOff,
            float[] out,
            int row,
            int bRows,
            int col0,
            int width,
            float[] tail) {
        int a1 = a0 + dim;
        int a2 = a1 + dim;
        int a3 = a2 + dim;
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        FloatVector c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        int q = pOff;
        for (int k = 0; k < dim; k++, q += L) {
            FloatVector b0 = FloatVector.fromArray(S, packed, q);
            c0 = b0.fma(FloatVector.broadcast(S, a[a0 + k]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, a[a1 + k]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, a[a2 + k]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, a[a3 + k]), c3);
        }
        c0.intoArray(tail, 0);
        c1.intoArray(tail, L);
        c2.intoArray(tail, 2 * L);
        c3.intoArray(tail, 3 * L);
        for (int r = 0; r < MR; r++) {
            System.arraycopy(tail, r * L, out, (row + r) * bRows + col0, width);
        }
    }

    /** One row of A against a last panel one vector wide. */
    private static void narrow1x1(
            float[] a,
            int a0,
            int dim,
            float[] packed,
            int pOff,
            float[] out,
            int row,
            int bRows,
            int col0,
            int width,
            float[] tail) {
        FloatVector c0 = FloatVector.zero(S);
        int q = pOff;
        for (int k = 0; k < dim; k++, q += L) {
            c0 = FloatVector.fromArray(S, packed, q).fma(FloatVector.broadcast(S, a[a0 + k]), c0);
        }
        c0.intoArray(tail, 0);
        System.arraycopy(tail, 0, out, row * bRows + col0, width);
    }

    private static void store(FloatVector v0, FloatVector v1, FloatVector v2, float[] dst, int off) {
        v0.intoArray(dst, off);
        v1.intoArray(dst, off + L);
        v2.intoArray(dst, off + 2 * L);
    }

    /** B transposed into zero-padded panels once. */
    private static final class PackedRows extends PreparedRows {
        final float[] packed;

        PackedRows(float[] packed, int rows, int dim) {
            super(rows, dim);
            this.packed = packed;
        }
    }
}
