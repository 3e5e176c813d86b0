package dev.strata.job;

/** A valid item with its leaf, top cluster and squared distance to the leaf centroid (Flink POJO). */
public class AssignedItem {
    public String id;
    public int leaf;
    public int top;
    public float distanceSq;
    public String meta;

    public AssignedItem() {}

    public AssignedItem(String id, int leaf, int top, float distanceSq, String meta) {
        this.id = id;
        this.leaf = leaf;
        this.top = top;
        this.distanceSq = distanceSq;
        this.meta = meta;
    }
}
