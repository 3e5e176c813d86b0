package dev.strata.kmeans;

import java.util.concurrent.atomic.LongAdder;

/**
 * Row-to-centre distances a {@link KMeans} computed (seeding, assignment steps, re-assignments),
 * next to what the same steps cost without pruning. A measure of work that does not depend on how
 * busy the machine is, printed by the benchmarks beside wall time.
 */
public final class DistanceCount {
    private final LongAdder computed = new LongAdder();
    private final LongAdder unpruned = new LongAdder();

    void add(long computedDistances, long unprunedDistances) {
        computed.add(computedDistances);
        unpruned.add(unprunedDistances);
    }

    public long computed() {
        return computed.sum();
    }

    public long unpruned() {
        return unpruned.sum();
    }

    /** computed / unpruned; 1 when nothing was counted. */
    public double share() {
        long u = unpruned();
        return u == 0 ? 1.0 : (double) computed() / u;
    }

    public void reset() {
        computed.reset();
        unpruned.reset();
    }
}
