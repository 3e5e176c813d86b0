package dev.strata.job;

import dev.strata.StrataException;
import dev.strata.model.ClusterTree;
import dev.strata.sampling.CarryOver;
import dev.strata.sampling.CarryOverFile;
import dev.strata.sampling.StreamQuotas;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads a job's {@code quota.carryOver} file (written by `strata carry-over`) through Flink's
 * file systems, like the model ({@link ModelLoader}): the client reads it to check it before the
 * job starts, every task that initialises counters from it reads it again where it runs.
 */
public final class CarryOverLoader {
    private CarryOverLoader() {}

    /**
     * The job's carry-over, or null when it has none. A carry-over mapped through another model
     * than the job's is refused: its counts are indexed by that model's leaves.
     */
    public static CarryOver load(CurateConfig cfg, ClusterTree tree) {
        String path = cfg.carryOverPath();
        if (path == null) {
            return null;
        }
        byte[] bytes;
        try {
            Path p = new Path(path);
            try (InputStream in = p.getFileSystem().open(p)) {
                bytes = in.readAllBytes();
            }
        } catch (IOException e) {
            throw new StrataException("cannot read carry-over " + path + ": " + e.getMessage()
                    + "; quota.carryOver must be readable wherever the job runs, like the model");
        }
        CarryOver c = CarryOverFile.parse(bytes, path);
        check(c, path, tree);
        String window = windowMismatch(c, cfg.windows(), path);
        if (window != null) {
            throw new NonRecoverable(window);
        }
        return c;
    }

    /** The carry-over fits the job's model: the same version and the same number of leaves. */
    static void check(CarryOver c, String path, ClusterTree tree) {
        if (!c.newModelVersion().equals(tree.version())) {
            throw new NonRecoverable("carry-over " + path + " was mapped through model version " + c.newModelVersion()
                    + " but the job's model is version " + tree.version()
                    + "; run `strata carry-over --model` with the job's model again");
        }
        if (c.seen().length != tree.leaves().clusters()) {
            throw new NonRecoverable("carry-over " + path + " has " + c.seen().length
                    + " leaves but the job's model has " + tree.leaves().clusters()
                    + "; run `strata carry-over --model` with the job's model again");
        }
    }

    /**
     * Why a carry-over does not fit the job's windows, or null when it does: a windowed run's
     * counts belong to one window of one length, on the records' timestamps, and continue only a
     * job that has the same windows; one horizon's counts continue only a job without windows.
     */
    public static String windowMismatch(CarryOver c, QuotaWindows windows, String path) {
        CarryOver.Window w = c.window();
        if (w == null && windows == null) {
            return null;
        }
        if (w == null) {
            return "carry-over " + path + " continues one horizon but the job has budgets per window (quota.window); "
                    + "remove quota.carryOver, or quota.window to continue that horizon";
        }
        String size = length(w.sizeMillis());
        if (windows == null) {
            return "carry-over " + path + " holds the counts of a " + size + " window but the job has no quota.window; "
                    + "set quota.window as the old run had it";
        }
        if (windows.sizeMillis() != w.sizeMillis() || windows.time() != WindowTime.EVENT) {
            return "carry-over " + path + " holds the counts of a " + size + " event-time window but the job's windows"
                    + " are " + length(windows.sizeMillis()) + " in "
                    + windows.time().label() + " time; keep the old run's quota.window and quota.windowTime, "
                    + "or start the new windows without a carry-over";
        }
        return null;
    }

    /** A window length as the job file writes it: 1h, 30m, 1h30m. */
    private static String length(long millis) {
        return java.time.Duration.ofMillis(millis).toString().substring(2).toLowerCase();
    }

    /**
     * The quotas of a job that continues a run: T less what the old run kept outside every leaf
     * of the new model (retention took its input record), which no counter holds. Under the
     * fixed plan the target is lowered further by what the carried items exceed the new plan's
     * top budgets ({@link #fixedTarget}), so the two runs together never pass T.
     */
    public static StreamQuotas quotas(CurateConfig cfg, ClusterTree tree, CarryOver c) {
        StreamQuotas q = cfg.quotas(tree);
        if (c == null) {
            return q;
        }
        long left = Math.max(0, q.target() - c.keptUnmapped());
        if (cfg.quotaPlan() == QuotaPlanMode.FIXED) {
            left = fixedTarget(tree, left, q.volume(), cfg.seed(), c);
        }
        return StreamQuotas.of(tree, left, q.volume(), cfg.seed());
    }

    /**
     * The fixed plan's target T' for a continued run: a top cluster whose carried kept count c_t
     * is above its budget Q_t(T') is closed but has still used c_t, so the run ends at most at
     * T' + sum max(0, c_t - Q_t(T')). T' = T - that excess, found by iterating from T (the
     * excess only grows as T' falls, so the iteration only goes down and stops).
     */
    static long fixedTarget(ClusterTree tree, long target, long volume, long seed, CarryOver c) {
        long[] carried =
                CarryOver.perTop(c.kept(), tree.topOfLeaves(), tree.top().clusters());
        long t = target;
        for (int i = 0; i < 1000 && t > 0; i++) {
            StreamQuotas q = StreamQuotas.of(tree, t, volume, seed);
            long excess = 0;
            for (int top = 0; top < carried.length; top++) {
                excess += Math.max(0, carried[top] - q.topQuota(top));
            }
            long next = Math.max(0, target - excess);
            if (next >= t) {
                return t;
            }
            t = next;
        }
        return t;
    }
}
