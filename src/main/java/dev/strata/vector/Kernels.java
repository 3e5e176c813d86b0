package dev.strata.vector;

import dev.strata.StrataException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the dot kernel. The chain is OpenBLAS (natives in the jar), then the Vector API (needs
 * {@code --add-modules jdk.incubator.vector}), then the scalar loop. {@code STRATA_KERNEL}, as a
 * system property or environment variable, forces one of "openblas", "vector", "scalar", "auto".
 */
public final class Kernels {
    public static final String PROPERTY = "STRATA_KERNEL";

    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private Kernels() {}

    /** The kernel to use: the forced one when STRATA_KERNEL is set, else the fastest that loads. */
    public static DotKernel fastest() {
        String forced = System.getProperty(PROPERTY);
        if (forced == null || forced.isBlank()) {
            forced = System.getenv(PROPERTY);
        }
        DotKernel kernel = byName(forced == null || forced.isBlank() ? "auto" : forced);
        if (LOGGED.compareAndSet(false, true)) {
            LOG.info(
                    "dot kernel: {}{}",
                    kernel.name(),
                    forced == null || forced.isBlank() ? "" : " (forced by " + PROPERTY + "=" + forced + ")");
        }
        return kernel;
    }

    /**
     * The kernel for beam descent: the forced one when STRATA_KERNEL is set, else the Vector API
     * kernel when it loads, else {@link #fastest()}. The batched descent multiplies each parent's
     * children with whichever rows of the batch reached it, so a row shares kernel calls with
     * different rows from batch to batch; only a {@link DotKernel#rowIndependent()} kernel then
     * gives it the leaf it would get alone. The Vector API kernel is, and on the grouped shapes
     * (a few to a few hundred rows against 2 to 700 children, d = 768) it was also the faster
     * (docs/assignment.md).
     */
    public static DotKernel forDescent() {
        String forced = System.getProperty(PROPERTY);
        if (forced == null || forced.isBlank()) {
            forced = System.getenv(PROPERTY);
        }
        if ((forced == null || forced.isBlank()) && vectorApiAvailable()) {
            return new VectorApiKernel();
        }
        return fastest();
    }

    /** A kernel by name; "auto" walks the fallback chain. Throws if the named kernel cannot run here. */
    public static DotKernel byName(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return auto();
            case "openblas":
                if (!OpenBlasKernel.available()) {
                    throw new StrataException("kernel 'openblas' does not load on this machine ("
                            + OpenBlasKernel.failure() + "); use STRATA_KERNEL=vector or auto");
                }
                return new OpenBlasKernel();
            case "vector":
                if (!vectorApiAvailable()) {
                    throw new StrataException(
                            "kernel 'vector' needs the JVM flag --add-modules jdk.incubator.vector; add it or use STRATA_KERNEL=scalar");
                }
                return new VectorApiKernel();
            case "scalar":
                return new ScalarKernel();
            default:
                throw new StrataException("unknown kernel '" + name + "'; expected openblas, vector, scalar or auto");
        }
    }

    private static DotKernel auto() {
        if (OpenBlasKernel.available()) {
            return new OpenBlasKernel();
        }
        if (vectorApiAvailable()) {
            return new VectorApiKernel();
        }
        return new ScalarKernel();
    }

    /**
     * Whether the Vector API kernel can run. Checked here rather than in VectorApiKernel, because
     * merely linking that class fails when the incubator module is absent.
     */
    static boolean vectorApiAvailable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            new VectorApiKernel();
            return true;
        } catch (Throwable t) {
            return false;
        }
    }
}
