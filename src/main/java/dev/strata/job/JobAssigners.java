package dev.strata.job;

import dev.strata.assign.ExactAssigner;
import dev.strata.assign.LeafAssigner;
import dev.strata.model.ClusterTree;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;

/** The leaf assigner of one task: one thread, the fastest kernel. */
final class JobAssigners {
    private JobAssigners() {
    }

    static LeafAssigner create(ClusterTree tree, int beam) {
        NearestCentroids nearest = new NearestCentroids(Kernels.fastest(), 1);
        ExactAssigner exact = new ExactAssigner(tree, nearest);
        return new LeafAssigner() {
            @Override
            public dev.strata.assign.LeafAssignment assign(dev.strata.vector.FloatMatrix rows) {
                return exact.assign(rows);
            }

            @Override
            public void close() {
                nearest.close();
            }
        };
    }
}
