package dev.strata.assign;

import dev.strata.model.ClusterTree;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.Kernels;
import dev.strata.vector.NearestCentroids;

/**
 * The assigner a streaming task uses, one per thread: exact when beam <= 0, else beam descent over
 * the model's {@link BeamIndex#shared shared} index, so the tasks of one TaskManager hold the
 * prepared centroids once.
 */
public final class LeafAssigners {
    private LeafAssigners() {}

    /** With the kernel each path wants: {@link Kernels#fastest()} for exact, {@link Kernels#forDescent()} for beam. */
    public static LeafAssigner create(ClusterTree tree, int beam) {
        return create(tree, beam, 0);
    }

    /** With a beam slack ({@link BeamAssigner#BeamAssigner(BeamIndex, int, double)}); exact ignores it. */
    public static LeafAssigner create(ClusterTree tree, int beam, double slack) {
        return create(tree, beam, slack, beam <= 0 ? Kernels.fastest() : Kernels.forDescent());
    }

    public static LeafAssigner create(ClusterTree tree, int beam, DotKernel kernel) {
        return create(tree, beam, 0, kernel);
    }

    public static LeafAssigner create(ClusterTree tree, int beam, double slack, DotKernel kernel) {
        if (beam <= 0) {
            return new OwnedExact(tree, new NearestCentroids(kernel, 1));
        }
        if (tree.depth() == 1) {
            return new BeamAssigner(tree, beam, slack, kernel);
        }
        return new BeamAssigner(BeamIndex.shared(tree, kernel), beam, slack);
    }

    /** An exact assigner that owns its single-thread NearestCentroids and closes it with itself. */
    private static final class OwnedExact implements LeafAssigner {
        private final NearestCentroids nearest;
        private final ExactAssigner exact;

        OwnedExact(ClusterTree tree, NearestCentroids nearest) {
            this.nearest = nearest;
            this.exact = new ExactAssigner(tree, nearest);
        }

        @Override
        public LeafAssignment assign(FloatMatrix rows) {
            return exact.assign(rows);
        }

        @Override
        public void close() {
            nearest.close();
        }
    }
}
