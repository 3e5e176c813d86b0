package dev.strata.assign;

import dev.strata.model.ClusterLevel;
import dev.strata.vector.DotKernel;
import dev.strata.vector.PreparedRows;

/**
 * For every cluster of one level, the centroids of its children copied into one contiguous block
 * and prepared for the kernel once, so descending into a parent is a single kernel call over
 * adjacent rows instead of a gather of scattered centroids per item.
 *
 * <p>Only children that have a leaf beneath them are kept: a cluster that ended up without
 * members (k-means keeps an empty cluster's centroid) could win a beam slot and lead nowhere.
 */
final class ChildBlocks {
    /** Children of parent p are entries [first[p], first[p + 1]) of {@link #child} and {@link #normSq}. */
    final int[] first;
    /** Cluster index of each child in its own level. */
    final int[] child;

    final float[] normSq;
    /** Prepared centroids of parent p's children; null when it has none. */
    final PreparedRows[] block;

    final int maxChildren;

    ChildBlocks(ClusterLevel children, int parents, boolean[] live, DotKernel kernel) {
        int dim = children.centroids().dim();
        int[] parent = children.parent();
        first = new int[parents + 1];
        for (int c = 0; c < children.clusters(); c++) {
            if (live[c]) {
                first[parent[c] + 1]++;
            }
        }
        int most = 0;
        for (int p = 0; p < parents; p++) {
            most = Math.max(most, first[p + 1]);
            first[p + 1] += first[p];
        }
        maxChildren = most;
        child = new int[first[parents]];
        int[] fill = first.clone();
        for (int c = 0; c < children.clusters(); c++) {
            if (live[c]) {
                child[fill[parent[c]]++] = c;
            }
        }
        float[] all = children.centroids().data();
        float[] allNorms = children.centroids().rowNormsSquared();
        normSq = new float[child.length];
        block = new PreparedRows[parents];
        float[] rows = new float[most * dim];
        for (int p = 0; p < parents; p++) {
            int n = first[p + 1] - first[p];
            if (n == 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                int c = child[first[p] + i];
                System.arraycopy(all, c * dim, rows, i * dim, dim);
                normSq[first[p] + i] = allNorms[c];
            }
            block[p] = kernel.prepare(rows, 0, n, dim);
        }
    }
}
