package dev.strata.job;

/** +1 when an item of a top cluster is accepted, -1 when exact mode evicts one (Flink POJO). */
public class TopDelta {
    public int top;
    public int delta;

    public TopDelta() {}

    public TopDelta(int top, int delta) {
        this.top = top;
        this.delta = delta;
    }
}
