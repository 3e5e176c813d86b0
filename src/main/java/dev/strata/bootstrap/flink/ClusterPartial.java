package dev.strata.bootstrap.flink;

import java.util.ArrayList;
import java.util.List;

/**
 * One cluster's share of a pass, from one task and then merged over all of them (keyed by
 * cluster): rows assigned, the sum of their squared distances, and the best-ranked rows for the
 * next resampling step.
 */
public class ClusterPartial {
    public int cluster;
    public long count;
    public double distanceSum;
    public List<PoolMember> members = new ArrayList<>();

    public ClusterPartial() {}

    ClusterPartial(int cluster) {
        this.cluster = cluster;
    }
}
