package dev.strata.job;

/**
 * A valid item with its leaf, top cluster and squared distance to the leaf centroid (Flink POJO),
 * and the time that puts it in a quota window: its Kafka record timestamp, or with processing-time
 * windows the wall clock when it was assigned (0 without windows: nothing reads it).
 */
public class AssignedItem {
    public String id;
    public int leaf;
    public int top;
    public float distanceSq;
    public String meta;
    public long timestamp;

    public AssignedItem() {}

    public AssignedItem(String id, int leaf, int top, float distanceSq, String meta) {
        this.id = id;
        this.leaf = leaf;
        this.top = top;
        this.distanceSq = distanceSq;
        this.meta = meta;
    }

    public AssignedItem(String id, int leaf, int top, float distanceSq, String meta, long timestamp) {
        this(id, leaf, top, distanceSq, meta);
        this.timestamp = timestamp;
    }
}
