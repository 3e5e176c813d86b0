package dev.strata.kmeans;

/**
 * Rows grouped by cluster (a counting sort): the rows of cluster c are
 * {@code rows[start[c] .. start[c + 1])}, in the order they were given.
 */
record ClusterMembers(int[] start, int[] rows) {

    /** Every row 0..n-1 by its cluster in {@code assignment}, ascending within a cluster. */
    static ClusterMembers of(int[] assignment, int clusters) {
        int[] all = new int[assignment.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return of(assignment, clusters, all);
    }

    /** The listed rows only, by their cluster in {@code assignment}. */
    static ClusterMembers of(int[] assignment, int clusters, int[] subset) {
        int[] start = new int[clusters + 1];
        for (int i : subset) {
            start[assignment[i] + 1]++;
        }
        for (int c = 0; c < clusters; c++) {
            start[c + 1] += start[c];
        }
        int[] rows = new int[subset.length];
        int[] fill = start.clone();
        for (int i : subset) {
            rows[fill[assignment[i]]++] = i;
        }
        return new ClusterMembers(start, rows);
    }
}
