package dev.strata.assign;

import dev.strata.model.ClusterLevel;
import dev.strata.model.ClusterTree;
import dev.strata.vector.DotKernel;
import dev.strata.vector.PreparedRows;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The read-only part of a beam descent over one model: the live top clusters' centroids and,
 * per level, every cluster's children copied next to each other and prepared for the kernel
 * ({@link ChildBlocks}). It is as large as the model's centroids, and it never changes, so the
 * assign tasks of one TaskManager share one ({@link #shared}) and each keeps only its scratch
 * buffers ({@link BeamAssigner}): a TaskManager with eight slots holds the prepared model once,
 * not eight times, and two subtasks on one machine read the same blocks from its cache.
 */
public final class BeamIndex {
    /** Bound on a dot buffer (floats: 1 MB), so a chunk of rows against many centroids stays in L2. */
    static final int MAX_DOTS = 1 << 18;

    private static final int MAX_TOP_ROWS = 256;

    /**
     * Indexes in use in this JVM, by model and kernel. Weak both ways: an index lives as long as
     * some assigner holds it, and the model it was built from as long as the index or a task does.
     */
    private static final Map<ClusterTree, Map<String, WeakReference<BeamIndex>>> SHARED = new WeakHashMap<>();

    final ClusterTree tree;
    final DotKernel kernel;
    final int dim;
    final int[] topId;
    final float[] topNormSq;
    final PreparedRows topBlock;
    /** blocks[t] holds the children (level t + 1, 1-based) of every cluster of level t + 2. */
    final ChildBlocks[] blocks;
    /** The most candidates any level offers: its live cluster count, or a parent's children. */
    final int widest;

    final int maxChildren;
    /** Rows per kernel call when ranking the top clusters. */
    final int topRows;

    /** Builds the index of a model with at least two levels (a one-level model is assigned exactly). */
    public BeamIndex(ClusterTree tree, DotKernel kernel) {
        if (tree.depth() < 2) {
            throw new IllegalArgumentException("a beam index needs a model of two levels or more");
        }
        this.tree = tree;
        this.kernel = kernel;
        this.dim = tree.dim();
        boolean[][] live = liveClusters(tree);
        int depth = tree.depth();
        blocks = new ChildBlocks[depth - 1];
        int most = 0;
        int wide = 0;
        for (int t = 0; t < depth - 1; t++) {
            blocks[t] = new ChildBlocks(
                    tree.levels().get(t), tree.levels().get(t + 1).clusters(), live[t], kernel);
            most = Math.max(most, blocks[t].maxChildren);
            wide = Math.max(wide, blocks[t].child.length);
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
        widest = Math.max(wide, liveTops);
        maxChildren = most;
        topRows = Math.max(1, Math.min(MAX_TOP_ROWS, MAX_DOTS / liveTops));
    }

    /**
     * The index of {@code tree} for {@code kernel} that this JVM's assigners share, built on
     * first use. Tasks of one job load their model through the job's shared loader, so they
     * pass the same tree.
     */
    public static BeamIndex shared(ClusterTree tree, DotKernel kernel) {
        synchronized (SHARED) {
            Map<String, WeakReference<BeamIndex>> byKernel = SHARED.computeIfAbsent(tree, t -> new HashMap<>());
            WeakReference<BeamIndex> ref = byKernel.get(kernel.name());
            BeamIndex index = ref == null ? null : ref.get();
            if (index == null) {
                index = new BeamIndex(tree, kernel);
                byKernel.put(kernel.name(), new WeakReference<>(index));
            }
            return index;
        }
    }

    public ClusterTree tree() {
        return tree;
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
