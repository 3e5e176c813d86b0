package dev.strata.bootstrap.flink;

/** A row on its way to the split of its coarse cluster (keyed by {@code coarse}). */
public class SplitMember {
    public int coarse;
    public long row;
    public float[] vector;

    public SplitMember() {}

    SplitMember(int coarse, long row, float[] vector) {
        this.coarse = coarse;
        this.row = row;
        this.vector = vector;
    }
}
