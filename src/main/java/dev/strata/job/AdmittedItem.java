package dev.strata.job;

/** An item adaptive admission accepted, on its way to the {@link TargetCap} (Flink POJO). */
public class AdmittedItem {
    public int top;
    public CuratedEvent event;

    public AdmittedItem() {}

    public AdmittedItem(int top, CuratedEvent event) {
        this.top = top;
        this.event = event;
    }
}
