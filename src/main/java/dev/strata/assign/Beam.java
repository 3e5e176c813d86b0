package dev.strata.assign;

/**
 * The best few candidates of one level, kept sorted by (distance, cluster index). Candidates of
 * a lower level arrive parent by parent, not in index order, so ties are broken on the index
 * explicitly: that keeps "ties go to the lowest index" true whatever order the parents came in.
 */
final class Beam {
    final int[] index;
    final float[] dist;
    int size;
    private int width;

    Beam(int capacity) {
        index = new int[capacity];
        dist = new float[capacity];
    }

    void reset(int width) {
        this.width = width;
        size = 0;
    }

    void offer(float d, int idx) {
        int p;
        if (size == width) {
            float worst = dist[size - 1];
            // written so that a NaN distance never enters a full beam
            if (!(d < worst || (d == worst && idx < index[size - 1]))) {
                return;
            }
            p = size - 1;
        } else {
            p = size++;
        }
        while (p > 0 && (dist[p - 1] > d || (dist[p - 1] == d && index[p - 1] > idx))) {
            dist[p] = dist[p - 1];
            index[p] = index[p - 1];
            p--;
        }
        dist[p] = d;
        index[p] = idx;
    }
}
