package dev.strata.assign;

import dev.strata.model.ClusterTree;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.PreparedRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The beam descent as it was before batching, kept as the reference the batched descent must
 * match exactly: one row at a time, one kernel call per row and parent (a matrix-vector product),
 * and each level's beam chosen by sorting all candidates by (distance, index) rather than by the
 * insertion that {@link RowBeams} does.
 */
final class RowByRowDescent {
    private record Candidate(float dist, int index) {}

    private static final Comparator<Candidate> ORDER =
            Comparator.comparingDouble(Candidate::dist).thenComparingInt(Candidate::index);

    private RowByRowDescent() {}

    static LeafAssignment assign(ClusterTree tree, int beam, DotKernel kernel, FloatMatrix rows) {
        FloatMatrix q = Queries.forModel(tree, rows);
        int dim = tree.dim();
        int depth = tree.depth();
        boolean[][] live = BeamIndex.liveClusters(tree);
        ChildBlocks[] blocks = new ChildBlocks[depth - 1];
        for (int t = 0; t < depth - 1; t++) {
            blocks[t] = new ChildBlocks(
                    tree.levels().get(t), tree.levels().get(t + 1).clusters(), live[t], kernel);
        }
        FloatMatrix tops = tree.top().centroids();
        PreparedRows topBlock = kernel.prepare(tops.data(), 0, tops.rows(), dim);
        float[] topNorms = tops.rowNormsSquared();
        float[] dots = new float[Math.max(tops.rows(), tree.leaves().clusters())];
        int[] leaf = new int[q.rows()];
        float[] dist = new float[q.rows()];
        for (int r = 0; r < q.rows(); r++) {
            int off = r * dim;
            kernel.dotsTransposed(q.data(), off, 1, topBlock, dots);
            List<Candidate> candidates = new ArrayList<>();
            for (int c = 0; c < tops.rows(); c++) {
                if (live[depth - 1][c]) {
                    candidates.add(new Candidate(topNorms[c] - 2f * dots[c], c));
                }
            }
            List<Candidate> kept = best(candidates, beam);
            for (int t = depth - 2; t >= 0; t--) {
                ChildBlocks level = blocks[t];
                candidates = new ArrayList<>();
                for (Candidate parent : kept) {
                    int p = parent.index();
                    int from = level.first[p];
                    kernel.dotsTransposed(q.data(), off, 1, level.block[p], dots);
                    for (int c = 0; c < level.first[p + 1] - from; c++) {
                        candidates.add(new Candidate(level.normSq[from + c] - 2f * dots[c], level.child[from + c]));
                    }
                }
                kept = best(candidates, t == 0 ? 1 : beam);
            }
            leaf[r] = kept.get(0).index();
            dist[r] = Math.max(
                    0f, Queries.normSquared(q.data(), off, dim) + kept.get(0).dist());
        }
        return new LeafAssignment(leaf, dist);
    }

    private static List<Candidate> best(List<Candidate> candidates, int width) {
        candidates.sort(ORDER);
        return new ArrayList<>(candidates.subList(0, Math.min(width, candidates.size())));
    }
}
