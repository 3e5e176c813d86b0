package dev.strata.job;

/** An item adaptive admission accepted, on its way to the {@link TargetCap} (Flink POJO). */
public class AdmittedItem {
    public int top;
    public CuratedEvent event;
    /** Budgets per window: the start of the item's window (0 without windows). */
    public long window;

    public AdmittedItem() {}

    public AdmittedItem(int top, CuratedEvent event) {
        this.top = top;
        this.event = event;
    }

    public AdmittedItem(int top, CuratedEvent event, long window) {
        this(top, event);
        this.window = window;
    }
}
