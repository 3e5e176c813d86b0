package dev.strata.assign;

import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.model.Metric;
import dev.strata.vector.DotKernel;
import dev.strata.vector.FloatMatrix;
import dev.strata.vector.NearestCentroids;
import dev.strata.vector.PreparedRows;
import java.util.Arrays;

/**
 * Leaf assignment by descending the tree with a beam: rank the top clusters, keep the best B,
 * rank the children of those B, keep the best B, and so on; at the leaf level return the nearest
 * candidate leaf with its squared distance. With 10k leaves under 1k and 100 parents and B = 4, an
 * item is compared with about 100 + 40 + 40 centroids instead of 10,000. It can miss the exact
 * leaf when that leaf sits under a parent that ranked below B; {@link RecallMeter} measures how
 * often. When B is at least a level's cluster count, that level is searched exhaustively.
 *
 * <p>The top level is one kernel call per chunk of the batch against all top centroids; below it,
 * each item costs one kernel call per parent in its beam, on that parent's children stored
 * contiguously ({@link ChildBlocks}). Distances are ||x||^2 - 2 x.c + ||c||^2 like
 * {@link NearestCentroids}, clipped at 0; ties go to the lowest cluster index. A one-level model
 * has nothing to descend and is assigned exactly.
 *
 * <p>One instance per thread: the scratch buffers are reused across calls.
 */
public final class BeamAssigner implements LeafAssigner {
    /** Bound on the top-level dot buffer (floats), so a batch against many top clusters stays in L2. */
    private static final int TOP_DOTS = 1 << 18;
    private static final int MAX_TOP_ROWS = 256;

    private final ClusterTree tree;
    private final DotKernel kernel;
    private final int beam;
    private final int dim;
    /** Set for one-level models only. */
    private final NearestCentroids exactNearest;
    private final ExactAssigner exact;

    private final int[] topId;
    private final float[] topNormSq;
    private final PreparedRows topBlock;
    /** blocks[t] holds the children (level t + 1, 1-based) of every cluster of level t + 2. */
    private final ChildBlocks[] blocks;

    private float[] queries = new float[0];
    private final float[] topDots;
    private final int topRows;
    private final float[] childDots;
    private final Beam current;
    private final Beam next;
    private long compared;

    public BeamAssigner(ClusterTree tree, int beam, DotKernel kernel) {
        if (beam < 1) {
            throw new IllegalArgumentException("beam must be >= 1, got " + beam);
        }
        this.tree = tree;
        this.kernel = kernel;
        this.beam = beam;
        this.dim = tree.dim();
        if (tree.depth() == 1) {
            exactNearest = new NearestCentroids(kernel, 1);
            exact = new ExactAssigner(tree, exactNearest);
            topId = null;
            topNormSq = null;
            topBlock = null;
            blocks = null;
            topDots = null;
            topRows = 0;
            childDots = null;
            current = null;
            next = null;
            return;
        }
        exactNearest = null;
        exact = null;
        boolean[][] live = liveClusters(tree);
        int depth = tree.depth();
        blocks = new ChildBlocks[depth - 1];
        int maxChildren = 0;
        int widest = 0;
        for (int t = 0; t < depth - 1; t++) {
            blocks[t] = new ChildBlocks(tree.levels().get(t), tree.levels().get(t + 1).clusters(), live[t], kernel);
            maxChildren = Math.max(maxChildren, blocks[t].maxChildren);
            widest = Math.max(widest, blocks[t].child.length);
        }
        ClusterLevel top = tree.top();
        boolean[] topLive = live[depth - 1];
        int liveTops = 0;
        for (boolean b : topLive) {
            liveTops += b ? 1 : 0;
        }
        topId = new int[liveTops];
        float[] rows = new float[liveTops * dim];
        float[] norms = top.centroids().rowNormsSquared();
        topNormSq = new float[liveTops];
        for (int c = 0, j = 0; c < top.clusters(); c++) {
            if (topLive[c]) {
                topId[j] = c;
                topNormSq[j] = norms[c];
                System.arraycopy(top.centroids().data(), c * dim, rows, j * dim, dim);
                j++;
            }
        }
        topBlock = kernel.prepare(rows, 0, liveTops, dim);
        widest = Math.max(widest, liveTops);
        topRows = Math.max(1, Math.min(MAX_TOP_ROWS, TOP_DOTS / liveTops));
        topDots = new float[topRows * liveTops];
        childDots = new float[maxChildren];
        // no level offers more candidates than it has live clusters, so a wider beam never fills
        int capacity = Math.min(beam, widest);
        current = new Beam(capacity);
        next = new Beam(capacity);
    }

    public int beam() {
        return beam;
    }

    /**
     * Centroids compared with rows so far, over all calls (a one-level model: 0). Divided by the
     * rows assigned it explains the rate: the cost of a row follows the fan-out of the clusters
     * its beam enters, not just the beam width.
     */
    public long centroidsCompared() {
        return compared;
    }

    @Override
    public LeafAssignment assign(FloatMatrix rows) {
        if (exact != null) {
            return exact.assign(rows);
        }
        Queries.checkDim(tree, rows);
        int n = rows.rows();
        float[] q = rows.data();
        if (tree.metric() == Metric.COSINE) {
            if (queries.length < n * dim) {
                queries = new float[n * dim];
            }
            Queries.normalizedInto(rows, queries);
            q = queries;
        }
        int[] leaf = new int[n];
        float[] dist = new float[n];
        for (int first = 0; first < n; first += topRows) {
            int count = Math.min(topRows, n - first);
            kernel.dotsTransposed(q, first * dim, count, topBlock, topDots);
            for (int r = 0; r < count; r++) {
                descend(q, first + r, r * topId.length, leaf, dist);
            }
        }
        return new LeafAssignment(leaf, dist);
    }

    /** One row from its top-level dots down to a leaf. */
    private void descend(float[] q, int row, int dotsOff, int[] leaf, float[] dist) {
        int off = row * dim;
        int depth = tree.depth();
        Beam beamNow = current;
        Beam beamNext = next;
        compared += topId.length;
        beamNow.reset(Math.min(beam, beamNow.index.length));
        for (int j = 0; j < topId.length; j++) {
            beamNow.offer(topNormSq[j] - 2f * topDots[dotsOff + j], topId[j]);
        }
        for (int t = depth - 2; t >= 0; t--) {
            ChildBlocks level = blocks[t];
            // at the leaf level only the nearest survives
            beamNext.reset(t == 0 ? 1 : Math.min(beam, beamNext.index.length));
            for (int b = 0; b < beamNow.size; b++) {
                int p = beamNow.index[b];
                int from = level.first[p];
                int count = level.first[p + 1] - from;
                kernel.dotsTransposed(q, off, 1, level.block[p], childDots);
                compared += count;
                for (int c = 0; c < count; c++) {
                    beamNext.offer(level.normSq[from + c] - 2f * childDots[c], level.child[from + c]);
                }
            }
            Beam swap = beamNow;
            beamNow = beamNext;
            beamNext = swap;
        }
        leaf[row] = beamNow.index[0];
        dist[row] = Math.max(0f, Queries.normSquared(q, off, dim) + beamNow.dist[0]);
    }

    @Override
    public void close() {
        if (exactNearest != null) {
            exactNearest.close();
        }
    }

    /** live[t][c]: cluster c of level t + 1 has at least one leaf beneath it (every leaf is live). */
    static boolean[][] liveClusters(ClusterTree tree) {
        int depth = tree.depth();
        boolean[][] live = new boolean[depth][];
        live[0] = new boolean[tree.leaves().clusters()];
        Arrays.fill(live[0], true);
        for (int t = 1; t < depth; t++) {
            live[t] = new boolean[tree.levels().get(t).clusters()];
            int[] parent = tree.levels().get(t - 1).parent();
            for (int c = 0; c < parent.length; c++) {
                if (live[t - 1][c]) {
                    live[t][parent[c]] = true;
                }
            }
        }
        return live;
    }
}
