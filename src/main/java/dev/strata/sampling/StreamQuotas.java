package dev.strata.sampling;

import dev.strata.model.ClusterTree;
import java.math.BigInteger;

/**
 * The quotas the job enforces (docs/architecture.md, "Why keyed by top cluster"): the model's pool sizes scaled to the
 * expected volume V, then the same hierarchical water-filling as the batch selection. Computed
 * identically in every task from the model and the config, so no task needs to ask another.
 */
public final class StreamQuotas {
    private final TreeShape shape;
    private final long target;
    private final long volume;
    private final long[] expected;
    private final QuotaPlan plan;

    private StreamQuotas(TreeShape shape, long target, long volume, long[] expected, QuotaPlan plan) {
        this.shape = shape;
        this.target = target;
        this.volume = volume;
        this.expected = expected;
        this.plan = plan;
    }

    /** The quotas for T items over an expected volume V. */
    public static StreamQuotas of(ClusterTree tree, long target, long volume, long seed) {
        long[] expected = scale(tree.leaves().size(), volume);
        TreeShape shape = new TreeShape(tree);
        return new StreamQuotas(shape, target, volume, expected, QuotaPlan.compute(shape, expected, target, seed));
    }

    /**
     * Sizes proportional to {@code sizes} summing exactly to {@code total} (largest remainder;
     * ties to the lower index). When total equals the pool, the sizes come back unchanged.
     */
    static long[] scale(long[] sizes, long total) {
        BigInteger sum = BigInteger.ZERO;
        for (long s : sizes) {
            sum = sum.add(BigInteger.valueOf(s));
        }
        long[] out = new long[sizes.length];
        if (sum.signum() == 0) {
            return out;
        }
        BigInteger t = BigInteger.valueOf(total);
        BigInteger[] remainder = new BigInteger[sizes.length];
        long given = 0;
        for (int i = 0; i < sizes.length; i++) {
            BigInteger[] qr = BigInteger.valueOf(sizes[i]).multiply(t).divideAndRemainder(sum);
            out[i] = qr[0].longValueExact();
            remainder[i] = qr[1];
            given += out[i];
        }
        Integer[] order = new Integer[sizes.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = remainder[b].compareTo(remainder[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int i = 0; given < total; i++, given++) {
            out[order[i]]++;
        }
        return out;
    }

    public TreeShape shape() {
        return shape;
    }

    public long target() {
        return target;
    }

    public long volume() {
        return volume;
    }

    /** Items expected in each leaf over the horizon. */
    public long expected(int leaf) {
        return expected[leaf];
    }

    public long leafQuota(int leaf) {
        return plan.leafQuotas()[leaf];
    }

    public long topQuota(int top) {
        return plan.topQuotas()[top];
    }

    public QuotaPlan plan() {
        return plan;
    }
}
