package dev.strata.job;

/** Per-leaf counters kept in keyed state (Flink POJO). */
public class LeafCounter {
    public long seen;
    public long accepted;

    public LeafCounter() {}
}
