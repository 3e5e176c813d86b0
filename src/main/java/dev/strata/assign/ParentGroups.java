package dev.strata.assign;

import java.util.Arrays;

/**
 * The rows of a batch grouped by the clusters their beams hold: for every cluster p of one level,
 * the rows whose beam contains p, in ascending row order. Descending one level is then one kernel
 * call per cluster over all of its rows and all of its children (a matrix-matrix product), not one
 * call per row and cluster (a matrix-vector product). A counting sort: linear in rows x beam plus
 * the level's cluster count, no allocation once grown.
 */
final class ParentGroups {
    /** Rows of cluster p are {@code rows[start[p]] .. rows[start[p + 1] - 1]}. */
    int[] start = new int[1];

    int[] rows = new int[0];

    /** Groups rows [0, n) of {@code beams} over {@code clusters} clusters. */
    void build(RowBeams beams, int n, int clusters) {
        if (start.length < clusters + 1) {
            start = new int[clusters + 1];
        } else {
            Arrays.fill(start, 0, clusters + 1, 0);
        }
        int pairs = 0;
        for (int r = 0; r < n; r++) {
            int size = beams.size(r);
            for (int s = 0; s < size; s++) {
                start[beams.index(r, s) + 1]++;
            }
            pairs += size;
        }
        for (int p = 0; p < clusters; p++) {
            start[p + 1] += start[p];
        }
        if (rows.length < pairs) {
            rows = new int[pairs];
        }
        // start[p] doubles as the fill cursor of cluster p, then is shifted back one cluster below
        for (int r = 0; r < n; r++) {
            int size = beams.size(r);
            for (int s = 0; s < size; s++) {
                rows[start[beams.index(r, s)]++] = r;
            }
        }
        for (int p = clusters; p > 0; p--) {
            start[p] = start[p - 1];
        }
        start[0] = 0;
    }
}
