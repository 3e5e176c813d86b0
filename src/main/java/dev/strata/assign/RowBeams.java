package dev.strata.assign;

import java.util.Arrays;

/**
 * The best few candidates of one level for every row of a batch, each row's kept sorted by
 * (distance, cluster index) in its own slice of two flat arrays. The batched descent offers a
 * row's candidates parent by parent in the order the parents are grouped, not in beam order, so
 * ties are broken on the index explicitly: a strict total order makes the kept set independent
 * of the order candidates arrive in, which is what lets the batched descent return exactly what
 * a row-by-row descent returns.
 */
final class RowBeams {
    /** Slots per row: the widest beam any level uses. */
    private final int stride;

    private int[] index = new int[0];
    private float[] dist = new float[0];
    private int[] size = new int[0];
    private int width;

    RowBeams(int stride) {
        this.stride = stride;
    }

    /** Empties the beams of rows [0, rows), each to keep at most {@code width} (<= stride) candidates. */
    void reset(int rows, int width) {
        if (size.length < rows) {
            size = new int[rows];
            index = new int[rows * stride];
            dist = new float[rows * stride];
        }
        Arrays.fill(size, 0, rows, 0);
        this.width = width;
    }

    /** How many candidates a row keeps until the next {@link #reset}. */
    int width() {
        return width;
    }

    /** Keeps the row's first {@code n} candidates (its n nearest). */
    void truncate(int row, int n) {
        size[row] = Math.min(size[row], n);
    }

    int size(int row) {
        return size[row];
    }

    int index(int row, int slot) {
        return index[row * stride + slot];
    }

    float dist(int row, int slot) {
        return dist[row * stride + slot];
    }

    void offer(int row, float d, int idx) {
        int base = row * stride;
        int n = size[row];
        int p;
        if (n == width) {
            int last = base + n - 1;
            float worst = dist[last];
            // written so that a NaN distance never enters a full beam
            if (!(d < worst || (d == worst && idx < index[last]))) {
                return;
            }
            p = n - 1;
        } else {
            p = n;
            size[row] = n + 1;
        }
        int at = base + p;
        while (at > base && (dist[at - 1] > d || (dist[at - 1] == d && index[at - 1] > idx))) {
            dist[at] = dist[at - 1];
            index[at] = index[at - 1];
            at--;
        }
        dist[at] = d;
        index[at] = idx;
    }
}
