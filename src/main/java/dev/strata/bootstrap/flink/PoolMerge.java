package dev.strata.bootstrap.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.ReduceFunction;

/**
 * Merges one cluster's partials from every task (keyed by cluster, so clusters merge in parallel
 * across TaskManagers): counts and distance sums add up, and the kept rows are the best-ranked
 * {@code poolSize} of all tasks' kept rows (each task kept its own best, so nothing better was dropped).
 */
final class PoolMerge implements ReduceFunction<ClusterPartial> {
    private final int poolSize;

    PoolMerge(int poolSize) {
        this.poolSize = poolSize;
    }

    @Override
    public ClusterPartial reduce(ClusterPartial a, ClusterPartial b) {
        ClusterPartial m = new ClusterPartial(a.cluster);
        m.count = a.count + b.count;
        m.distanceSum = a.distanceSum + b.distanceSum;
        if (poolSize > 0) {
            List<PoolMember> all = new ArrayList<>(a.members);
            all.addAll(b.members);
            all.sort(PoolMember::compare);
            m.members = new ArrayList<>(all.subList(0, Math.min(poolSize, all.size())));
        }
        return m;
    }
}
