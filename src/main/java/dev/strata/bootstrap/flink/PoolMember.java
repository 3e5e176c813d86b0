package dev.strata.bootstrap.flink;

/**
 * A row kept for a resampling step. {@code order} ranks members within their cluster (lower
 * first): the float bits of the distance ({@code closest}, non-negative floats sort as their
 * bits do) or a hash of the row ({@code random}); ties go to the lower row, as in `strata
 * bootstrap`, so the kept rows do not depend on how the pool was cut into tasks.
 */
public class PoolMember {
    public long row;
    public long order;
    public float[] vector;

    public PoolMember() {}

    PoolMember(long row, long order, float[] vector) {
        this.row = row;
        this.order = order;
        this.vector = vector;
    }

    /** True when this member ranks before {@code o}. */
    boolean before(PoolMember o) {
        return order != o.order ? order < o.order : row < o.row;
    }

    static int compare(PoolMember a, PoolMember b) {
        return a.order != b.order ? Long.compare(a.order, b.order) : Long.compare(a.row, b.row);
    }
}
