package dev.strata.vector;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * A * B^T through OpenBLAS {@code cblas_sgemm} (JavaCPP presets, natives shipped in the jar).
 *
 * <p>OpenBLAS is pinned to one thread: callers parallelise over row blocks, and a second level
 * of threads inside sgemm would oversubscribe the cores and make results depend on its split.
 *
 * <p>Operands go through per-thread direct buffers. The presets' {@code float[]} overload uses
 * JNI {@code Get/ReleaseFloatArrayElements}, which on HotSpot copies the <em>whole</em> array
 * in and out on every call (measured: 0.7 GFLOP/s when A is a 200k x 256 data set of which one
 * 256-row block is used). Copying only the rows needed into direct buffers costs about 6% at
 * 256 x 1000 x 256 (94 vs 100 GFLOP/s); {@link #prepare} removes the B part of it.
 */
public final class OpenBlasKernel implements DotKernel {

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Creates the kernel; call only after {@link #available()} returned true. */
    public OpenBlasKernel() {
        if (!available()) {
            throw new IllegalStateException("OpenBLAS natives could not be loaded: " + Native.FAILURE);
        }
    }

    /** Whether the OpenBLAS natives load on this machine; never throws. */
    public static boolean available() {
        try {
            return Native.FAILURE == null;
        } catch (Throwable t) {
            // The JavaCPP classes themselves may be missing from the class path.
            return false;
        }
    }

    /** Why the natives did not load, or null when they did. */
    static String failure() {
        try {
            return Native.FAILURE;
        } catch (Throwable t) {
            return t.toString();
        }
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public void dotsTransposed(float[] a, int aOff, int aRows, float[] b, int bRows, int dim, float[] out) {
        if (aRows == 0 || bRows == 0) {
            return;
        }
        FloatBuffer db = BUFFERS.get().b(bRows * dim);
        db.put(b, 0, bRows * dim).flip();
        multiply(a, aOff, aRows, db, bRows, dim, out);
    }

    @Override
    public PreparedRows prepare(float[] b, int bOff, int bRows, int dim) {
        FloatBuffer db = Buffers.allocate(bRows * dim);
        db.put(b, bOff, bRows * dim).flip();
        return new OffHeapRows(db, bRows, dim);
    }

    @Override
    public void dotsTransposed(float[] a, int aOff, int aRows, PreparedRows b, float[] out) {
        if (!(b instanceof OffHeapRows)) {
            throw new IllegalArgumentException(
                    "rows prepared by another kernel: " + b.getClass().getSimpleName());
        }
        if (aRows == 0 || b.rows() == 0) {
            return;
        }
        // duplicate(): JavaCPP reads the buffer's position, and the prepared buffer is shared by threads
        multiply(a, aOff, aRows, ((OffHeapRows) b).data.duplicate(), b.rows(), b.dim(), out);
    }

    private static void multiply(float[] a, int aOff, int aRows, FloatBuffer db, int bRows, int dim, float[] out) {
        Buffers buf = BUFFERS.get();
        int aLen = aRows * dim;
        int cLen = aRows * bRows;
        FloatBuffer da = buf.a(aLen);
        FloatBuffer dc = buf.c(cLen);
        da.put(a, aOff, aLen).flip();
        dc.limit(cLen);
        openblas_nolapack.cblas_sgemm(
                openblas_nolapack.CblasRowMajor,
                openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasTrans,
                aRows,
                bRows,
                dim,
                1f,
                da,
                dim,
                db,
                dim,
                0f,
                dc,
                bRows);
        dc.get(out, 0, cLen);
    }

    /** B copied once into native memory. */
    private static final class OffHeapRows extends PreparedRows {
        final FloatBuffer data;

        OffHeapRows(FloatBuffer data, int rows, int dim) {
            super(rows, dim);
            this.data = data;
        }
    }

    /** Loads the natives once; a holder class so a missing library only fails this class. */
    private static final class Native {
        static final String FAILURE = load();

        private static String load() {
            try {
                Loader.load(openblas_nolapack.class);
                openblas_nolapack.blas_set_num_threads(1);
                return null;
            } catch (Throwable t) {
                return t.toString();
            }
        }
    }

    /** Direct buffers of one thread, grown on demand and reused across calls. */
    private static final class Buffers {
        private FloatBuffer a = allocate(0);
        private FloatBuffer b = allocate(0);
        private FloatBuffer c = allocate(0);

        FloatBuffer a(int floats) {
            if (a.capacity() < floats) {
                a = allocate(floats);
            }
            a.clear();
            return a;
        }

        FloatBuffer b(int floats) {
            if (b.capacity() < floats) {
                b = allocate(floats);
            }
            b.clear();
            return b;
        }

        FloatBuffer c(int floats) {
            if (c.capacity() < floats) {
                c = allocate(floats);
            }
            c.clear();
            return c;
        }

        private static FloatBuffer allocate(int floats) {
            return ByteBuffer.allocateDirect(Math.max(floats, 1) * Float.BYTES)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
    }
}
